//! The state of a whole fleet: one [`CameraState`] per camera, mergeable
//! like its parts, so that logs read on many threads, or partitions on many
//! machines, give the state of all the events.

use std::collections::BTreeMap;

use crate::event::Event;
use crate::state::CameraState;

/// Every camera's state, by camera name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FleetState {
    /// The cameras, in name order.
    pub cameras: BTreeMap<String, CameraState>,
}

impl FleetState {
    /// Counts one event under its camera.
    pub fn add(&mut self, event: &Event) {
        match self.cameras.get_mut(&event.camera) {
            Some(state) => state.add(event),
            None => {
                let mut state = CameraState::default();
                state.add(event);
                self.cameras.insert(event.camera.clone(), state);
            }
        }
    }

    /// Adds `other`'s cameras and events to these.
    pub fn merge(&mut self, other: FleetState) {
        for (camera, state) in other.cameras {
            match self.cameras.get_mut(&camera) {
                Some(mine) => mine.merge(&state),
                None => {
                    self.cameras.insert(camera, state);
                }
            }
        }
    }

    /// Events of every camera.
    pub fn events(&self) -> u64 {
        self.cameras.values().map(|c| c.events).sum()
    }
}
