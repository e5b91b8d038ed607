"""Keyword options as the command line's arguments, for the Rust side to
parse with the command line's own definitions."""

import os


def arguments(options):
    """``{"stated_accuracy": 0.3, "fahrenheit": True}`` as
    ``["--stated-accuracy=0.3", "--fahrenheit"]`` (a value joined to its
    option, so that a negative number is not read as an option)."""
    words = []
    for name, value in options.items():
        flag = "--" + name.replace("_", "-")
        if value is None or value is False:
            continue
        if value is True:
            words.append(flag)
            continue
        for item in value if isinstance(value, (list, tuple)) else [value]:
            words.append(f"{flag}={_text(item)}")
    return words


def _text(value):
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return str(value)
