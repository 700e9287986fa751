//! Views of the money rows (see `views`).
