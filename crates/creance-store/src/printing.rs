//! A company's letterhead settings (issue 11): what its documents print beyond its name and address
//! — registration, VAT number, contact lines, the envelope window, the signature block, the bank
//! account printed — its signature block per language (migration 0014) and its logo (a JPEG kept
//! hex-encoded, see migration 0010). And the render template version recorded on issued letters.

use creance_core::Language;

use crate::row;
use crate::{Sql, Tx};

/// The largest logo accepted, in bytes (512 KiB).
pub const LOGO_BYTES_MAX: usize = 512 * 1024;

/// The stored letterhead; every text empty and the right window when nothing was set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Letterhead {
    pub registration: String,
    pub vat_number: String,
    pub phone: String,
    pub email: String,
    pub web: String,
    /// `left` or `right`.
    pub envelope_window: String,
    /// One line per line (name, then title): the default signature.
    pub signature_lines: Vec<String>,
    /// The signature of letters in a language, for the languages that have one (in
    /// `Language::ALL` order, none empty).
    pub signatures: Vec<(Language, Vec<String>)>,
    pub bank_account_id: Option<i64>,
    /// A letter prints each dunned document's own text under its row (seed 004).
    pub print_item_texts: bool,
    pub has_logo: bool,
}

pub async fn get(tx: &mut Tx, company_id: i64) -> anyhow::Result<Letterhead> {
    let r = Sql::new(
        "SELECT h.registration, h.vat_number, h.phone, h.email, h.web, h.envelope_window, h.signature, \
         h.bank_account_id, h.print_item_texts FROM company_letterheads h WHERE h.company_id = ",
    )
    .bind(company_id)
    .fetch_optional(tx)
    .await?;
    let has_logo = Sql::new("SELECT company_id FROM company_logos WHERE company_id = ")
        .bind(company_id)
        .fetch_optional(tx)
        .await?
        .is_some();
    let signatures = signatures(tx, company_id).await?;
    let Some(r) = r else {
        return Ok(Letterhead { envelope_window: "right".into(), has_logo, signatures, ..Letterhead::default() });
    };
    let signature = row::text(&r, "signature")?;
    Ok(Letterhead {
        registration: row::text(&r, "registration")?,
        vat_number: row::text(&r, "vat_number")?,
        phone: row::text(&r, "phone")?,
        email: row::text(&r, "email")?,
        web: row::text(&r, "web")?,
        envelope_window: row::text(&r, "envelope_window")?,
        signature_lines: lines(&signature),
        signatures,
        bank_account_id: row::opt_int(&r, "bank_account_id")?,
        print_item_texts: row::flag(&r, "print_item_texts")?,
        has_logo,
    })
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_string).filter(|l| !l.trim().is_empty()).collect()
}

/// The signatures per language (a language whose stored word is unknown is an error naming it).
async fn signatures(tx: &mut Tx, company_id: i64) -> anyhow::Result<Vec<(Language, Vec<String>)>> {
    let rows = Sql::new("SELECT language, signature FROM company_signatures WHERE company_id = ")
        .bind(company_id)
        .fetch_all(tx)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let word = row::text(r, "language")?;
        let language = Language::ALL
            .iter()
            .copied()
            .find(|l| l.code() == word)
            .ok_or_else(|| anyhow::anyhow!("company_signatures.language holds {word:?}, not a language code"))?;
        let signature = lines(&row::text(r, "signature")?);
        if !signature.is_empty() {
            out.push((language, signature));
        }
    }
    out.sort_by_key(|(l, _)| Language::ALL.iter().position(|a| a == l));
    Ok(out)
}

/// Writes the letterhead (every field, the signatures per language replaced by `h.signatures`;
/// `has_logo` is ignored: see [`set_logo`]).
pub async fn set(tx: &mut Tx, company_id: i64, h: &Letterhead) -> anyhow::Result<()> {
    let at = tx.at()?;
    let mut sql = Sql::new(
        "INSERT INTO company_letterheads (company_id, registration, vat_number, phone, email, web, \
         envelope_window, signature, bank_account_id, print_item_texts, updated_at) VALUES ",
    );
    sql.bind_tuple([
        company_id.into(),
        h.registration.as_str().into(),
        h.vat_number.as_str().into(),
        h.phone.as_str().into(),
        h.email.as_str().into(),
        h.web.as_str().into(),
        h.envelope_window.as_str().into(),
        h.signature_lines.join("\n").into(),
        h.bank_account_id.into(),
        i64::from(h.print_item_texts).into(),
        at.as_str().into(),
    ]);
    sql.push(
        " ON CONFLICT (company_id) DO UPDATE SET registration = excluded.registration, \
         vat_number = excluded.vat_number, phone = excluded.phone, email = excluded.email, web = excluded.web, \
         envelope_window = excluded.envelope_window, signature = excluded.signature, \
         bank_account_id = excluded.bank_account_id, print_item_texts = excluded.print_item_texts, \
         updated_at = excluded.updated_at",
    );
    sql.execute(tx).await?;
    Sql::new("DELETE FROM company_signatures WHERE company_id = ").bind(company_id).execute(tx).await?;
    let kept: Vec<&(Language, Vec<String>)> = h.signatures.iter().filter(|(_, s)| !s.is_empty()).collect();
    if !kept.is_empty() {
        let mut sql = Sql::new("INSERT INTO company_signatures (company_id, language, signature, updated_at) VALUES ");
        for (i, (language, signature)) in kept.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind_tuple([
                company_id.into(),
                language.code().into(),
                signature.join("\n").into(),
                at.as_str().into(),
            ]);
        }
        sql.execute(tx).await?;
    }
    Ok(())
}

/// The logo's JPEG bytes, if one is set.
pub async fn logo(tx: &mut Tx, company_id: i64) -> anyhow::Result<Option<Vec<u8>>> {
    let r =
        Sql::new("SELECT jpeg_hex FROM company_logos WHERE company_id = ").bind(company_id).fetch_optional(tx).await?;
    match r {
        None => Ok(None),
        Some(r) => Ok(Some(from_hex(&row::text(&r, "jpeg_hex")?)?)),
    }
}

/// Sets the logo (at most [`LOGO_BYTES_MAX`] bytes, checked by the caller and by the column's CHECK).
pub async fn set_logo(tx: &mut Tx, company_id: i64, jpeg: &[u8]) -> anyhow::Result<()> {
    anyhow::ensure!(jpeg.len() <= LOGO_BYTES_MAX, "a logo of {} bytes is over the limit", jpeg.len());
    let at = tx.at()?;
    let mut sql = Sql::new("INSERT INTO company_logos (company_id, jpeg_hex, updated_at) VALUES ");
    sql.bind_tuple([company_id.into(), to_hex(jpeg).into(), at.into()]);
    sql.push(" ON CONFLICT (company_id) DO UPDATE SET jpeg_hex = excluded.jpeg_hex, updated_at = excluded.updated_at");
    sql.execute(tx).await?;
    Ok(())
}

/// The template version an issued letter was laid out with (`None`: a draft, or issued before
/// versions were recorded).
pub async fn template_version(tx: &mut Tx, company_id: i64, letter_id: i64) -> anyhow::Result<Option<i64>> {
    let r = Sql::new("SELECT template_version FROM dunning_letters WHERE company_id = ")
        .bind(company_id)
        .push(" AND id = ")
        .bind(letter_id)
        .fetch_optional(tx)
        .await?;
    match r {
        None => Ok(None),
        Some(r) => row::opt_int(&r, "template_version"),
    }
}

/// The letter that charged a fee or interest invoice (its `fee_document_id` or
/// `interest_document_id`).
pub async fn letter_of_charge(tx: &mut Tx, company_id: i64, document_id: i64) -> anyhow::Result<Option<i64>> {
    let r = Sql::new("SELECT MIN(id) AS id FROM dunning_letters WHERE company_id = ")
        .bind(company_id)
        .push(" AND (fee_document_id = ")
        .bind(document_id)
        .push(" OR interest_document_id = ")
        .bind(document_id)
        .push(")")
        .fetch_one(tx)
        .await?;
    row::opt_int(&r, "id")
}

/// The own text of each of `document_ids` that has one: `(document id, text)`, one query per 500 ids.
pub async fn document_texts(tx: &mut Tx, company_id: i64, document_ids: &[i64]) -> anyhow::Result<Vec<(i64, String)>> {
    let mut out = Vec::new();
    for chunk in document_ids.chunks(500) {
        let mut sql = Sql::new("SELECT id, text FROM documents WHERE company_id = ");
        sql.bind(company_id).push(" AND text <> '' AND id IN (");
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(*id);
        }
        sql.push(")");
        for r in sql.fetch_all(tx).await? {
            out.push((row::int(&r, "id")?, row::text(&r, "text")?));
        }
    }
    Ok(out)
}

fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

fn from_hex(text: &str) -> anyhow::Result<Vec<u8>> {
    let digit = |c: u8| -> anyhow::Result<u8> {
        match c {
            b'0'..=b'9' => Ok(c - b'0'),
            b'a'..=b'f' => Ok(c - b'a' + 10),
            _ => anyhow::bail!("company_logos.jpeg_hex holds {:?}, not a hex digit", char::from(c)),
        }
    };
    let bytes = text.as_bytes();
    anyhow::ensure!(bytes.len().is_multiple_of(2), "company_logos.jpeg_hex has an odd length");
    bytes.chunks(2).map(|p| Ok(digit(p[0])? << 4 | digit(p[1])?)).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn hex_round_trip() {
        let bytes: Vec<u8> = (0..=255).collect();
        assert_eq!(super::from_hex(&super::to_hex(&bytes)).unwrap(), bytes);
    }
}
