//! The dunning letter as PDF (`GET /api/v1/dunning/letters/{id}/pdf`), a level's letter previewed
//! before anything is issued (`…/policies/{id}/levels/{level}/preview.pdf`), and the print PDF of a
//! run's letters that go by post (`…/runs/{id}/print.pdf`).
//!
//! A draft renders as a marked preview from what its detail shows now. An issued letter renders
//! from its frozen content — its number, date, deadline, rendered texts and the rows frozen at issue
//! — so a reprint gives the same bytes every time (as long as the letterhead settings are the same:
//! they are read when printing, not frozen). What is kept is the render template version
//! (`dunning_letters.template_version`), not the PDF.

use std::collections::HashMap;

use creance_core::dunning::{self as core_dunning, ItemKind, ItemStatus, LetterStatus};
use creance_core::{Date, Decimal, DocumentKind, Language, Money};
use creance_render::letter::{CreditRow, DunnedRow, Indemnity, InterestLine, LetterDoc, NotDueRow};
use creance_store::dunning::{self as policies_store, InterestTable, Policy};
use creance_store::dunning_runs as runs;
use creance_store::{customers, printing, Tx};

use super::letterhead::House;
use super::{postal, reader_locale, rendered, Pdf};
use crate::dunning::LetterDetail;
use crate::{App, AppError, DunningFault};

/// The order of a print run's letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintOrder {
    /// By the payer's postal code, then customer number.
    PostalCode,
    /// By the payer's salesperson, then postal code (seed 004).
    Salesperson,
}

impl PrintOrder {
    pub fn parse(text: &str) -> Result<PrintOrder, AppError> {
        match text.trim() {
            "postal_code" | "" => Ok(PrintOrder::PostalCode),
            "salesperson" => Ok(PrintOrder::Salesperson),
            other => Err(AppError::invalid_said(
                "order",
                crate::Fault::NotEither { text: other.to_string(), words: &["postal_code", "salesperson"] },
            )),
        }
    }
}

/// The most letters one print PDF holds.
pub const PRINT_LETTERS_MAX: usize = 5_000;

/// What a letter's mapping reads besides the letter: the house, the payer, the policy and the rate
/// tables.
pub(crate) struct Context {
    pub(crate) house: House,
    policies: Vec<Policy>,
    tables: Vec<InterestTable>,
}

impl Context {
    pub(crate) async fn load(tx: &mut Tx, company_id: i64) -> Result<Context, AppError> {
        Ok(Context {
            house: House::load(tx, company_id).await?,
            policies: policies_store::policies(tx, company_id).await?,
            tables: policies_store::interest_tables(tx, company_id).await?,
        })
    }

    pub(crate) fn policy(&self, id: i64) -> Result<&Policy, AppError> {
        self.policies
            .iter()
            .find(|p| p.id == id)
            .ok_or(AppError::NotFound { entity: "dunning policy", key: id.to_string() })
    }

    /// The yearly rate in force on `day` under the policy's rate table (reference + margin).
    fn rate_on(&self, policy: &Policy, day: Date) -> Option<Decimal> {
        let table = self.tables.iter().find(|t| Some(t.id) == policy.interest_table_id)?;
        let row = table.rates.iter().filter(|r| r.from <= day).max_by_key(|r| r.from)?;
        let reference = Decimal::parse(&row.reference_percent).ok()?;
        let margin = Decimal::parse(&row.margin_percent).ok()?;
        reference.checked_add(margin)
    }
}

fn positive(m: Money) -> Money {
    if m.is_negative() {
        m.checked_neg().unwrap_or(m)
    } else {
        m
    }
}

fn language_of(code: &str) -> Language {
    Language::parse(code).unwrap_or(Language::En)
}

/// Maps a letter's detail to the render's data. `today` dates a draft (an issued letter has its own
/// date).
fn letter_doc(
    ctx: &Context,
    detail: &LetterDetail,
    payer: &customers::CustomerFields,
    texts: &HashMap<i64, String>,
    today: Date,
) -> Result<LetterDoc, AppError> {
    let l = &detail.letter;
    let policy = ctx.policy(l.policy_id)?;
    let locale = reader_locale(language_of(&l.language), &payer.country);
    let frozen = l.status.is_frozen();
    let date = l.letter_date.unwrap_or(today);
    let deadline = l.payment_deadline.unwrap_or_else(|| core_dunning::payment_deadline(date, policy.payment_days));
    let mut items = Vec::new();
    let mut credits = Vec::new();
    let mut not_due = Vec::new();
    let mut interest = Vec::new();
    let mut indemnity_count = 0u32;
    let mut indemnity_each = None;
    // A letter issued before its own fee and interest invoices were left out of the rows frozen at
    // issue (issue 11) has them among its items not yet due; they are printed as its charges instead.
    let own_charges = [l.fee_document_id, l.interest_document_id];
    let listed = |i: &&crate::views::dunning::Item| {
        i.status == ItemStatus::Active && (i.document_id.is_none() || !own_charges.contains(&i.document_id))
    };
    for it in detail.items.iter().filter(listed) {
        match it.kind {
            ItemKind::Due | ItemKind::Overdue => {
                let due = it.due_date.unwrap_or(it.doc_date);
                items.push(DunnedRow {
                    document_number: it.reference.clone(),
                    document_date: it.doc_date,
                    due_date: due,
                    amount_original: it.amount,
                    amount_open: it.amount_open,
                    days_overdue: due.days_until(date).max(0),
                    level: u32::try_from(if it.kind == ItemKind::Due { it.new_level } else { it.level_before })
                        .unwrap_or(0),
                    text: it.document_id.and_then(|d| texts.get(&d).cloned()),
                });
                if it.interest.is_positive() {
                    let from = it.interest_from.unwrap_or(due);
                    // `interest_to` is exclusive: the last day charged is the day before.
                    let to = it.interest_to.map_or(date, |d| d.add_days(-1));
                    let rate_percent = ctx.rate_on(policy, from).unwrap_or_else(|| Decimal::from_int(0));
                    interest.push(InterestLine { from, to, rate_percent, amount: it.interest });
                }
                if it.indemnity.is_positive() {
                    indemnity_count += 1;
                    indemnity_each.get_or_insert(it.indemnity);
                }
            }
            ItemKind::NotDue => not_due.push(NotDueRow {
                document_number: it.reference.clone(),
                document_date: it.doc_date,
                due_date: it.due_date.unwrap_or(it.doc_date),
                amount_original: it.amount,
                amount_open: it.amount_open,
            }),
            ItemKind::Credit | ItemKind::Payment => {
                let kind = if it.kind == ItemKind::Credit {
                    creance_render::labels::document_kind(DocumentKind::CreditNote, locale.language).to_string()
                } else {
                    creance_render::words::Words::of(locale.language).payment.to_string()
                };
                credits.push(CreditRow {
                    kind,
                    number: it.reference.clone(),
                    date: it.doc_date,
                    amount_open: positive(it.amount_open),
                });
            }
            ItemKind::Blocked | ItemKind::Disabled | ItemKind::InOtherDraft => {}
        }
    }
    let indemnity = match indemnity_each {
        Some(each) if l.indemnity.is_positive() => {
            Some(Indemnity { count: indemnity_count, each, amount: l.indemnity })
        }
        _ => None,
    };
    Ok(LetterDoc {
        locale,
        letterhead: ctx.house.letterhead(l.currency),
        window: ctx.house.window,
        recipient: postal(payer, &ctx.house.company),
        customer_number: l.payer_number.clone(),
        date,
        number: l.number.clone().unwrap_or_default(),
        level: u32::try_from(l.level).unwrap_or(0),
        level_title: None,
        subject: Some(detail.preview.subject.clone()).filter(|s| !s.trim().is_empty()),
        opening: detail.preview.opening.clone(),
        items,
        credits,
        not_due: if policy.list_not_due { Some(not_due) } else { None },
        total_overdue: l.overdue_total,
        total_credits: Some(l.credits_total).filter(|c| !c.is_zero()),
        fee: Some(l.fee).filter(|f| f.is_positive()),
        interest,
        indemnity,
        total_due: l.total_due,
        deadline,
        pay_to: None,
        payment_reference: l.number.clone().unwrap_or_else(|| l.payer_number.clone()),
        closing: detail.preview.closing.clone(),
        signature: ctx.house.signature_for(locale.language),
        preview: !frozen,
    })
}

/// The own texts of the documents a letter duns, when the letterhead says to print them.
async fn item_texts(
    tx: &mut Tx,
    company_id: i64,
    house: &House,
    detail: &LetterDetail,
) -> Result<HashMap<i64, String>, AppError> {
    if !house.print_item_texts {
        return Ok(HashMap::new());
    }
    let mut ids: Vec<i64> = detail
        .items
        .iter()
        .filter(|i| matches!(i.kind, ItemKind::Due | ItemKind::Overdue))
        .filter_map(|i| i.document_id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(printing::document_texts(tx, company_id, &ids).await?.into_iter().collect())
}

fn file_name(detail: &LetterDetail) -> String {
    match &detail.letter.number {
        Some(n) => format!("letter-{}.pdf", n.replace(['/', '\\', ' '], "-")),
        None => format!("letter-draft-{}.pdf", detail.letter.id),
    }
}

/// An issued (or withdrawn) letter ready to render.
pub(crate) struct FrozenLetter {
    pub(crate) letter: runs::Letter,
    pub(crate) doc: LetterDoc,
    pub(crate) file_name: String,
}

/// Issued or withdrawn letters mapped for rendering, loaded set-based: one query each for the
/// letters, all their rows, their payers and (when the letterhead prints them) their documents'
/// texts, whatever the number of letters. Draft letters among `ids` are skipped (a draft's rows
/// are read as they are now, one letter at a time: see [`App::dunning_letter`]). In `ids` order.
pub(crate) async fn frozen_letters(
    tx: &mut Tx,
    company_id: i64,
    ctx: &Context,
    ids: &[i64],
) -> Result<Vec<FrozenLetter>, AppError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(FROZEN_BATCH) {
        let f = runs::LetterFilter { ids: Some(chunk.to_vec()), ..Default::default() };
        let letters = runs::all_letters(tx, company_id, &f).await?;
        let letters: Vec<runs::Letter> = letters.into_iter().filter(|l| l.status.is_frozen()).collect();
        let letter_ids: Vec<i64> = letters.iter().map(|l| l.id).collect();
        let mut items: HashMap<i64, Vec<runs::Item>> = HashMap::new();
        for (letter_id, item) in runs::items_of_letters(tx, company_id, &letter_ids).await? {
            items.entry(letter_id).or_default().push(item);
        }
        let payers = payers_of(tx, company_id, &letters).await?;
        let texts: HashMap<i64, String> = if ctx.house.print_item_texts {
            let mut doc_ids: Vec<i64> = items
                .values()
                .flatten()
                .filter(|i| matches!(i.kind, ItemKind::Due | ItemKind::Overdue))
                .filter_map(|i| i.document_id)
                .collect();
            doc_ids.sort_unstable();
            doc_ids.dedup();
            printing::document_texts(tx, company_id, &doc_ids).await?.into_iter().collect()
        } else {
            HashMap::new()
        };
        let mut by_id: HashMap<i64, FrozenLetter> = HashMap::with_capacity(letters.len());
        for letter in letters {
            let rows = items.remove(&letter.id).unwrap_or_default();
            let payer = payers
                .get(&letter.payer_number)
                .cloned()
                .ok_or_else(|| anyhow::anyhow!("payer {} of letter {}", letter.payer_number, letter.id))?;
            let date = letter.letter_date.ok_or_else(|| anyhow::anyhow!("issued letter {} has no date", letter.id))?;
            let policy = ctx.policy(letter.policy_id)?;
            let oldest = crate::dunning::oldest_dunned(&rows);
            let preview = crate::dunning::charges::rendered(&ctx.house.company.name, &letter, oldest, policy, date)?;
            let detail = LetterDetail {
                letter: letter.clone().into(),
                items: rows.into_iter().map(Into::into).collect(),
                preview,
            };
            let doc = letter_doc(ctx, &detail, &payer, &texts, date)?;
            let file_name = file_name(&detail);
            by_id.insert(letter.id, FrozenLetter { letter, doc, file_name });
        }
        out.extend(chunk.iter().filter_map(|id| by_id.remove(id)));
    }
    Ok(out)
}

/// The letters of a run that go by post (channel `letter`, or a payer without any e-mail), of
/// payers `from_payer..=to_payer`, in print order, with their payers; at most
/// [`PRINT_LETTERS_MAX`].
async fn print_selection(
    tx: &mut Tx,
    company_id: i64,
    run_id: i64,
    status: LetterStatus,
    order: PrintOrder,
    from_payer: Option<&str>,
    to_payer: Option<&str>,
) -> Result<Vec<(i64, customers::CustomerFields)>, AppError> {
    let f = crate::dunning::LetterFilter { run_id: Some(run_id), status: Some(status), ..Default::default() };
    let letters = runs::all_letters(tx, company_id, &f).await?;
    let in_range = |l: &runs::Letter| {
        !(from_payer.is_some_and(|f| l.payer_number.as_str() < f)
            || to_payer.is_some_and(|t| l.payer_number.as_str() > t))
    };
    let letters: Vec<runs::Letter> = letters.into_iter().filter(in_range).collect();
    let payers = payers_of(tx, company_id, &letters).await?;
    let mut chosen = Vec::new();
    for l in letters {
        let payer = payers.get(&l.payer_number).ok_or_else(|| anyhow::anyhow!("payer {}", l.payer_number))?;
        let no_email = payer.email.trim().is_empty() && payer.dunning_email.trim().is_empty();
        if l.channel == core_dunning::LetterChannel::Letter || no_email {
            chosen.push((l.id, payer.clone()));
        }
    }
    if chosen.len() > PRINT_LETTERS_MAX {
        return Err(AppError::invalid_said(
            "to_payer",
            DunningFault::TooManyLetters { count: chosen.len(), max: PRINT_LETTERS_MAX },
        ));
    }
    chosen.sort_by(|(a_id, a), (b_id, b)| {
        let key = |c: &customers::CustomerFields| match order {
            PrintOrder::PostalCode => (String::new(), c.postal_code.clone(), c.number.clone()),
            PrintOrder::Salesperson => (c.salesperson.clone(), c.postal_code.clone(), c.number.clone()),
        };
        key(a).cmp(&key(b)).then(a_id.cmp(b_id))
    });
    Ok(chosen)
}

/// The payers of `letters`, by customer number, in one query per chunk.
async fn payers_of(
    tx: &mut Tx,
    company_id: i64,
    letters: &[runs::Letter],
) -> Result<HashMap<String, customers::CustomerFields>, AppError> {
    let mut numbers: Vec<String> = letters.iter().map(|l| l.payer_number.clone()).collect();
    numbers.sort_unstable();
    numbers.dedup();
    Ok(customers::by_numbers(tx, company_id, &numbers)
        .await?
        .into_iter()
        .map(|c| (c.fields.number.clone(), c.fields))
        .collect())
}

/// Letters loaded per round trip by [`frozen_letters`].
const FROZEN_BATCH: usize = 500;

impl App {
    /// A dunning letter as PDF: a draft as a marked preview, an issued letter from its frozen
    /// content (the same bytes at every reprint).
    pub async fn dunning_letter_pdf(&self, company_id: i64, id: i64, today: Date) -> Result<Pdf, AppError> {
        let detail = self.dunning_letter(company_id, id, today).await?;
        let mut tx = self.db.begin_read().await?;
        let ctx = Context::load(&mut tx, company_id).await?;
        let payer = customers::get(&mut tx, company_id, detail.letter.payer_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("payer {}", detail.letter.payer_id))?;
        let texts = item_texts(&mut tx, company_id, &ctx.house, &detail).await?;
        drop(tx);
        check_printable(&detail)?;
        let doc = letter_doc(&ctx, &detail, &payer.fields, &texts, today)?;
        Ok(Pdf { bytes: rendered(creance_render::letter::render(&doc))?, file_name: file_name(&detail) })
    }

    /// The render template version an issued letter was laid out with (`None`: a draft, or a letter
    /// issued before versions were recorded).
    pub async fn dunning_letter_template_version(&self, company_id: i64, id: i64) -> Result<Option<i64>, AppError> {
        let mut tx = self.db.begin_read().await?;
        Ok(printing::template_version(&mut tx, company_id, id).await?)
    }

    /// One PDF of a run's letters that go by post: those whose channel is `letter` or whose payer
    /// has no e-mail (issued letters of an issued run; the draft letters, marked, of a draft run),
    /// optionally of payers `from_payer..=to_payer` (customer numbers), in postal-code or
    /// salesperson order.
    pub async fn dunning_print_pdf(
        &self,
        company_id: i64,
        run_id: i64,
        order: PrintOrder,
        from_payer: Option<&str>,
        to_payer: Option<&str>,
        today: Date,
    ) -> Result<Pdf, AppError> {
        let mut tx = self.db.begin_read().await?;
        let run = creance_store::dunning_runs::run(&mut tx, company_id, run_id, false)
            .await?
            .ok_or(AppError::NotFound { entity: "dunning proposal", key: run_id.to_string() })?;
        let status =
            if run.status == core_dunning::RunStatus::Draft { LetterStatus::Draft } else { LetterStatus::Issued };
        let chosen = print_selection(&mut tx, company_id, run_id, status, order, from_payer, to_payer).await?;
        let ctx = Context::load(&mut tx, company_id).await?;
        let ids: Vec<i64> = chosen.iter().map(|(id, _)| *id).collect();
        let docs = if status == LetterStatus::Issued {
            // Issued letters: set-based, a few queries for the whole run.
            let docs: Vec<LetterDoc> =
                frozen_letters(&mut tx, company_id, &ctx, &ids).await?.into_iter().map(|f| f.doc).collect();
            drop(tx);
            docs
        } else {
            // A draft run prints marked previews, each read as it is now (its listed rows depend on
            // today's open items), one letter at a time.
            drop(tx);
            let mut docs = Vec::with_capacity(chosen.len());
            for (id, payer) in &chosen {
                let detail = self.dunning_letter(company_id, *id, today).await?;
                let mut tx = self.db.begin_read().await?;
                let texts = item_texts(&mut tx, company_id, &ctx.house, &detail).await?;
                drop(tx);
                docs.push(letter_doc(&ctx, &detail, payer, &texts, today)?);
            }
            docs
        };
        let bytes = rendered(creance_render::letter::merge(&docs))?;
        Ok(Pdf { bytes, file_name: format!("run-{run_id}-print.pdf") })
    }
}

impl App {
    /// Marks the queued postal deliveries of an issued run's letters to print (the same selection
    /// as its print PDF: channel `letter` or a payer without e-mail, payers `from_payer..=to_payer`)
    /// as `printed`, once they are printed and posted. Returns how many.
    pub async fn mark_dunning_printed(
        &self,
        actor: &crate::Actor,
        company_id: i64,
        run_id: i64,
        from_payer: Option<&str>,
        to_payer: Option<&str>,
    ) -> Result<u64, AppError> {
        let mut tx = self.db.begin_write(actor.at()).await?;
        let run = creance_store::dunning_runs::run(&mut tx, company_id, run_id, false)
            .await?
            .ok_or(AppError::NotFound { entity: "dunning proposal", key: run_id.to_string() })?;
        if run.status != core_dunning::RunStatus::Issued {
            return Err(AppError::invalid_said("id", DunningFault::RunNotIssued { run_id, status: run.status }));
        }
        let chosen = print_selection(
            &mut tx,
            company_id,
            run_id,
            LetterStatus::Issued,
            PrintOrder::PostalCode,
            from_payer,
            to_payer,
        )
        .await?;
        let ids: Vec<i64> = chosen.iter().map(|(id, _)| *id).collect();
        let n = creance_store::dunning::delivery::mark_printed(&mut tx, company_id, &ids).await?;
        let event = creance_store::audit::AuditEvent::new(
            company_id,
            actor.as_str(),
            "dunning.printed",
            "dunning_run",
            Some(run_id),
        )
        .summary(format!(
            "{n} letter(s) of proposal {run_id} marked printed (payers {} to {})",
            from_payer.unwrap_or("first"),
            to_payer.unwrap_or("last")
        ));
        creance_store::audit::record(&mut tx, &event).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(n)
    }
}

/// A letter left out or removed has nothing to print.
fn check_printable(detail: &LetterDetail) -> Result<(), AppError> {
    match detail.letter.status {
        LetterStatus::Draft | LetterStatus::Issued | LetterStatus::Withdrawn => Ok(()),
        LetterStatus::LeftOut | LetterStatus::Removed => Err(AppError::NotFound {
            entity: "printable dunning letter",
            key: format!("{} (it is {}: {})", detail.letter.id, detail.letter.status, detail.letter.reason_text),
        }),
    }
}
