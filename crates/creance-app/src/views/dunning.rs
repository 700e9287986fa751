//! Views of the dunning rows (see `views`).
