//! Views of the ledger rows (see `views`).
