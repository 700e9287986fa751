//! Views of the settings rows (see `views`).
