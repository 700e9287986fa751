//! Edits of a draft letter (status, level, texts, sending) and the checks on what other drafts hold.

use creance_core::dunning::{ItemStatus, LetterStatus};

use crate::row;
use crate::{batch_rows, Sql, Tx, Value};

use super::letters::*;

/// Sets a draft letter's status (`removed` by a clerk, or back to `draft`); false when it is not in a
/// state that allows it.
pub async fn set_letter_status(
    tx: &mut Tx,
    company_id: i64,
    letter_id: i64,
    from: &[LetterStatus],
    to: LetterStatus,
    reason: &str,
) -> anyhow::Result<bool> {
    let mut sql = Sql::new("UPDATE dunning_letters SET status = ");
    sql.bind(to.as_str()).push(", reason = ").bind(reason).push(" WHERE company_id = ").bind(company_id);
    sql.push(" AND id = ").bind(letter_id);
    sql.push(" AND status IN ").bind_tuple(from.iter().map(|s| Value::from(s.as_str())));
    Ok(sql.execute(tx).await? == 1)
}

pub async fn set_item_status(
    tx: &mut Tx,
    company_id: i64,
    item_id: i64,
    status: ItemStatus,
    reason: &str,
) -> anyhow::Result<()> {
    Sql::new("UPDATE dunning_items SET status = ")
        .bind(status.as_str())
        .push(", reason = ")
        .bind(reason)
        .push(" WHERE company_id = ")
        .bind(company_id)
        .push(" AND id = ")
        .bind(item_id)
        .execute(tx)
        .await?;
    // An active dunned item holds its installment; any other lets it go.
    if status == ItemStatus::Active {
        let mut sql = Sql::new("INSERT INTO dunning_holds (installment_id, item_id, company_id, run_id) ");
        sql.push("SELECT installment_id, id, company_id, run_id FROM dunning_items WHERE company_id = ")
            .bind(company_id);
        sql.push(" AND id = ").bind(item_id).push(" AND kind = 'due' AND installment_id IS NOT NULL ");
        sql.push("AND NOT EXISTS (SELECT 1 FROM dunning_holds h WHERE h.item_id = dunning_items.id ");
        sql.push("AND h.installment_id = dunning_items.installment_id)");
        sql.execute(tx).await?;
    } else {
        let mut sql = Sql::new("DELETE FROM dunning_holds WHERE company_id = ");
        sql.bind(company_id);
        sql.push(" AND item_id = ").bind(item_id);
        sql.push(" AND installment_id IN (SELECT installment_id FROM dunning_items WHERE id = ").bind(item_id);
        sql.push(")");
        sql.execute(tx).await?;
    }
    Ok(())
}

/// Sets the level of a draft letter and of its dunned items (`(item id, new level)`).
pub async fn set_level(
    tx: &mut Tx,
    company_id: i64,
    letter_id: i64,
    level: i64,
    forced_by: &str,
    reason: &str,
    items: &[(i64, i64)],
) -> anyhow::Result<()> {
    Sql::new("UPDATE dunning_letters SET level = ")
        .bind(level)
        .push(", level_forced_by = ")
        .bind(forced_by)
        .push(", level_reason = ")
        .bind(reason)
        .push(" WHERE company_id = ")
        .bind(company_id)
        .push(" AND id = ")
        .bind(letter_id)
        .execute(tx)
        .await?;
    set_item_values(tx, company_id, "new_level", items).await
}

/// Sets one integer column of items by id, in one statement per chunk.
async fn set_item_values(tx: &mut Tx, company_id: i64, column: &str, values: &[(i64, i64)]) -> anyhow::Result<()> {
    for chunk in values.chunks(batch_rows(2)) {
        let mut sql = Sql::new(&format!("UPDATE dunning_items SET {column} = v.column2 FROM (VALUES "));
        for (i, (id, v)) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind_tuple([(*id).into(), (*v).into()]);
        }
        sql.push(") AS v WHERE dunning_items.id = v.column1 AND dunning_items.company_id = ").bind(company_id);
        sql.execute(tx).await?;
    }
    Ok(())
}

pub async fn set_texts(
    tx: &mut Tx,
    company_id: i64,
    letter_id: i64,
    subject: &str,
    opening: &str,
    closing: &str,
    by: Option<&str>,
) -> anyhow::Result<()> {
    Sql::new("UPDATE dunning_letters SET subject = ")
        .bind(subject)
        .push(", opening = ")
        .bind(opening)
        .push(", closing = ")
        .bind(closing)
        .push(", texts_edited_by = ")
        .bind(by.map(str::to_string))
        .push(" WHERE company_id = ")
        .bind(company_id)
        .push(" AND id = ")
        .bind(letter_id)
        .execute(tx)
        .await?;
    Ok(())
}

pub async fn set_send(tx: &mut Tx, company_id: i64, letter_id: i64, send: bool) -> anyhow::Result<()> {
    Sql::new("UPDATE dunning_letters SET send = ")
        .bind(i64::from(send))
        .push(" WHERE company_id = ")
        .bind(company_id)
        .push(" AND id = ")
        .bind(letter_id)
        .execute(tx)
        .await?;
    Ok(())
}

/// Releases every installment a run holds (deleting or issuing it).
pub async fn release_run(tx: &mut Tx, company_id: i64, run_id: i64) -> anyhow::Result<()> {
    Sql::new("DELETE FROM dunning_holds WHERE company_id = ")
        .bind(company_id)
        .push(" AND run_id = ")
        .bind(run_id)
        .execute(tx)
        .await?;
    Ok(())
}

/// Whether an installment is dunned by a draft item other than `except_item`.
pub async fn item_in_other_draft(
    tx: &mut Tx,
    company_id: i64,
    installment_id: i64,
    except_item: i64,
) -> anyhow::Result<bool> {
    let r = Sql::new("SELECT COUNT(*) AS n FROM dunning_holds WHERE company_id = ")
        .bind(company_id)
        .push(" AND installment_id = ")
        .bind(installment_id)
        .push(" AND item_id <> ")
        .bind(except_item)
        .fetch_one(tx)
        .await?;
    Ok(row::int(&r, "n")? > 0)
}

/// The documents of a letter's active dunned items that another draft holds now.
pub async fn items_taken_elsewhere(tx: &mut Tx, company_id: i64, l: &Letter) -> anyhow::Result<Vec<String>> {
    let mut sql = Sql::new("SELECT it.reference FROM dunning_items it WHERE it.company_id = ");
    sql.bind(company_id).push(" AND it.run_id = ").bind(l.run_id).push(" AND it.payer_id = ").bind(l.payer_id);
    sql.push(" AND it.currency = ").bind(l.currency.code()).push(" AND it.kind = 'due' AND it.status = 'active' ");
    sql.push(
        "AND EXISTS (SELECT 1 FROM dunning_holds h WHERE h.installment_id = it.installment_id AND h.item_id <> it.id)",
    );
    sql.fetch_all(tx).await?.iter().map(|r| row::text(r, "reference")).collect()
}

/// The letter an item belongs to.
pub async fn letter_of_item(tx: &mut Tx, company_id: i64, item_id: i64) -> anyhow::Result<Option<i64>> {
    let r = Sql::new(
        "SELECT l.id FROM dunning_items it JOIN dunning_letters l ON l.company_id = it.company_id AND l.run_id = it.run_id \
         AND l.payer_id = it.payer_id AND l.currency = it.currency WHERE it.company_id = ",
    )
    .bind(company_id)
    .push(" AND it.id = ")
    .bind(item_id)
    .fetch_optional(tx)
    .await?;
    r.map(|r| row::int(&r, "id")).transpose()
}
