//! Pairing: which observations the analysis uses, and each one's value from
//! every source of device values — the value the device reported, the
//! target's temperature measured in its frame, and that temperature
//! corrected by the in-scene reference source. An observation with neither a
//! reported value nor a frame in which the target was found is left out.
//!
//! A device with a declared transfer (`[device.transfer]`) is judged against
//! its declaration: its reported value becomes `reference + (displayed −
//! declared reading)`, so that its departure from the declaration is its
//! departure from the identity line, and every statistic and detector reads
//! it as it reads an undeclared device. The displayed value is kept for the
//! screening statistics, which ask what the display itself shows.

use rayon::prelude::*;

use super::uncertainty::roi_statistic_uncertainty;
use crate::model::{
    FrameResult, ObservationRecord, Transfer, RADIOMETRIC, RADIOMETRIC_ETRS, REPORTED,
};
use crate::session::{seconds_from_earliest, Observation, Session};
use fevercheck_io::error::{Error, Result};

/// The used observations and their values per source, index by index. A
/// source no used observation has a value from (the frames' sources of a
/// session without frames) is an empty list, not a list of `None`s: a
/// million readings would otherwise write 16 MB of nothing per source.
pub(crate) struct Paired<'a> {
    /// Observations with at least one device value, in file order.
    pub used: Vec<&'a Observation>,
    /// What the device reported, °C; against its declared transfer, when
    /// it declares one.
    pub reported: Vec<Option<f64>>,
    /// What the device displayed, °C, when it declares a transfer (else
    /// empty: what it displayed is `reported`; see [`Paired::displayed`]).
    displayed: Vec<Option<f64>>,
    /// The declared transfer the reported values are judged against.
    pub transfer: Option<Transfer>,
    /// The target's temperature measured in the frame, °C.
    pub radiometric: Vec<Option<f64>>,
    /// The same, corrected by the in-scene reference source, °C.
    pub corrected: Vec<Option<f64>>,
    /// The uncertainty of the frame's ROI statistic from the spread of its
    /// pixels, °C.
    pub roi_u_c: Vec<Option<f64>>,
}

impl<'a> Paired<'a> {
    /// Pairs `session`'s observations with the results of their frames (one
    /// per observation with a frame, in order).
    pub(crate) fn of(session: &'a Session, frames: &[FrameResult]) -> Result<Self> {
        let mut paired = if frames.is_empty() {
            Paired::without_frames(&session.observations)
        } else {
            Paired::with_frames(&session.observations, frames)
        };
        if paired.used.is_empty() {
            return Err(Error::Unusable {
                path: session.path.clone(),
                message: "no observation has a reported temperature or a frame in which the \
                          target was found"
                    .into(),
            });
        }
        if let Some(transfer) = session.manifest.device.declared_transfer() {
            paired.judge_against(transfer);
        }
        Ok(paired)
    }

    /// The observations with a reported value, when no frame was measured:
    /// found on every core, as the session is large.
    fn without_frames(observations: &'a [Observation]) -> Self {
        let used: Vec<&Observation> = observations
            .par_iter()
            .filter(|o| o.reported_c.is_some())
            .collect();
        Paired {
            reported: used.par_iter().map(|o| o.reported_c).collect(),
            displayed: Vec::new(),
            transfer: None,
            radiometric: Vec::new(),
            corrected: Vec::new(),
            roi_u_c: Vec::new(),
            used,
        }
    }

    /// The observations with a reported value or a measured frame; each
    /// observation with a frame has the next of `frames`.
    fn with_frames(observations: &'a [Observation], frames: &[FrameResult]) -> Self {
        let mut frame_results = frames.iter();
        let n = observations.len();
        let mut paired = Paired {
            used: Vec::with_capacity(n),
            reported: Vec::with_capacity(n),
            displayed: Vec::new(),
            transfer: None,
            radiometric: Vec::with_capacity(n),
            corrected: Vec::with_capacity(n),
            roi_u_c: Vec::with_capacity(n),
        };
        for o in observations {
            let frame = o.frame.as_ref().and_then(|_| frame_results.next());
            let measured = frame.and_then(|f| f.target_c);
            if o.reported_c.is_none() && measured.is_none() {
                continue;
            }
            paired.used.push(o);
            paired.reported.push(o.reported_c);
            paired.radiometric.push(measured);
            paired
                .roi_u_c
                .push(frame.and_then(roi_statistic_uncertainty));
            paired
                .corrected
                .push(frame.and_then(|f| f.etrs.map(|e| e.corrected_target_c)));
        }
        paired
    }

    /// Moves the reported values from the declared transfer onto the
    /// identity line: `reference + (displayed − declared reading)`.
    fn judge_against(&mut self, transfer: Transfer) {
        self.displayed = self.reported.clone();
        for (i, o) in self.used.iter().enumerate() {
            self.reported[i] = self.displayed[i]
                .map(|shown| o.reference_c + (shown - transfer.expected_c(o.reference_c)));
        }
        self.transfer = Some(transfer);
    }

    /// What the device displayed, °C, observation by observation.
    pub(crate) fn displayed(&self) -> &[Option<f64>] {
        if self.transfer.is_some() {
            &self.displayed
        } else {
            &self.reported
        }
    }

    /// The values of the named source (empty when no observation has one).
    pub(crate) fn values(&self, source: &str) -> &[Option<f64>] {
        match source {
            REPORTED => &self.reported,
            RADIOMETRIC => &self.radiometric,
            RADIOMETRIC_ETRS => &self.corrected,
            _ => &[],
        }
    }

    /// Seconds from the earliest time of a used observation to each one's
    /// time, in whole milliseconds (empty when none has a time): the
    /// records' `elapsed_s`, and the reading times of a source with a value
    /// at every used observation. Counted once per analysis: a million
    /// times take 70 ms of the two cores.
    pub(crate) fn elapsed_s(&self) -> Vec<Option<f64>> {
        if self.used.par_iter().any(|o| o.time.is_some()) {
            seconds_from_earliest(&self.used, |o| o.time)
        } else {
            Vec::new()
        }
    }

    /// The used observations as the report keeps them, with their
    /// [`Paired::elapsed_s`].
    pub(crate) fn records(&self, elapsed_s: &[Option<f64>]) -> Vec<ObservationRecord> {
        // Each record is made on whichever core is free, in order.
        self.used
            .par_iter()
            .enumerate()
            .map(|(i, o)| ObservationRecord {
                line: o.line,
                reference_c: o.reference_c,
                reported_c: self.reported[i],
                displayed_c: self.displayed.get(i).copied().flatten(),
                radiometric_c: self.radiometric.get(i).copied().flatten(),
                elapsed_s: elapsed_s.get(i).copied().flatten(),
                sweep: o.sweep.clone(),
                subject: o.subject.clone(),
                ambient_c: o.ambient_c,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;
    use crate::detect::{ReadingTimes, TimeBasis};
    use crate::session::Manifest;

    fn observation(line: u64, reported_c: Option<f64>, time: Option<&str>) -> Observation {
        Observation {
            time: time.map(|t| DateTime::parse_from_rfc3339(t).unwrap()),
            ..Observation::new(line, 36.0, reported_c)
        }
    }

    #[test]
    fn the_elapsed_times_are_counted_from_the_earliest_used_observation() {
        // The earliest row has no reported value: it is not used, and the
        // times count from the next (a millisecond is whole toward zero).
        let session = Session::from_observations(
            "s",
            Manifest::default(),
            vec![
                observation(2, None, Some("2026-01-05T08:59:00Z")),
                observation(3, Some(36.1), Some("2026-01-05T09:00:00.0004Z")),
                observation(4, Some(36.2), Some("2026-01-05T10:00:30.0003+01:00")),
                observation(5, Some(36.3), Some("2026-01-05T09:01:00.5Z")),
            ],
        );
        let paired = Paired::of(&session, &[]).unwrap();
        let elapsed_s = paired.elapsed_s();
        assert_eq!(elapsed_s, [Some(0.0), Some(29.999), Some(60.499)]);
        let recorded: Vec<Option<f64>> = paired
            .records(&elapsed_s)
            .iter()
            .map(|r| r.elapsed_s)
            .collect();
        assert_eq!(recorded, elapsed_s);
        // The detectors' times from them are those counted afresh.
        let shared = ReadingTimes::of_elapsed(&elapsed_s, paired.used.len());
        let afresh = ReadingTimes::of(&paired.used);
        assert_eq!(shared.seconds, afresh.seconds);
        assert_eq!(
            (shared.basis, afresh.basis),
            (TimeBasis::Clock, TimeBasis::Clock)
        );
    }

    #[test]
    fn without_a_time_at_every_used_observation_the_row_order_is_the_clock() {
        let session = Session::from_observations(
            "s",
            Manifest::default(),
            vec![
                observation(2, Some(36.1), Some("2026-01-05T09:00:00Z")),
                observation(3, Some(36.2), None),
            ],
        );
        let paired = Paired::of(&session, &[]).unwrap();
        let elapsed_s = paired.elapsed_s();
        assert_eq!(elapsed_s, [Some(0.0), None]);
        let shared = ReadingTimes::of_elapsed(&elapsed_s, paired.used.len());
        let afresh = ReadingTimes::of(&paired.used);
        assert_eq!(shared.seconds, [0.0, 60.0]);
        assert_eq!(shared.seconds, afresh.seconds);
        assert_eq!(shared.basis, TimeBasis::ReadingOrder);
        assert_eq!(afresh.basis, TimeBasis::ReadingOrder);
        // No time at all: nothing kept per observation.
        let session = Session::from_observations(
            "s",
            Manifest::default(),
            vec![observation(2, Some(36.1), None)],
        );
        let paired = Paired::of(&session, &[]).unwrap();
        let elapsed_s = paired.elapsed_s();
        assert!(elapsed_s.is_empty());
        assert_eq!(paired.records(&elapsed_s)[0].elapsed_s, None);
        let shared = ReadingTimes::of_elapsed(&elapsed_s, paired.used.len());
        assert_eq!(shared.basis, TimeBasis::ReadingOrder);
    }
}
