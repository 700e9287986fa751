//! Dunning proposals (runs), letters and items (SPEC §4.6): the former path of [`crate::dunning`]'s
//! proposal, refresh, letters, draft, charges, issue and history modules, kept for the API and the CLI.

pub use crate::dunning::charges::*;
pub use crate::dunning::draft::*;
pub use crate::dunning::history::*;
pub use crate::dunning::issue::*;
pub use crate::dunning::letters::*;
pub use crate::dunning::proposal::*;
pub use crate::dunning::refresh::*;
pub use crate::dunning::views::{
    beyond_last_level, drafts_to_generate, fill_days_late, to_generate, BeyondLastLevel, ToGenerate, ToGenerateList,
    ToGenerateTotal,
};
