//! The deposit slip (`GET /api/v1/deposits/{id}/slip.pdf`, SPEC §4.5): the cheques of one deposit,
//! in the company's language; a draft deposit's slip is marked as a draft.

use creance_core::DepositStatus;
use creance_render::deposit::{Cheque, DepositSlipDoc};

use super::letterhead::House;
use super::{reader_locale, rendered, Pdf};
use crate::{App, AppError};

impl App {
    pub async fn deposit_slip_pdf(&self, company_id: i64, id: i64) -> Result<Pdf, AppError> {
        let detail = self.deposit(company_id, id).await?;
        let mut tx = self.db.begin_read().await?;
        let house = House::load(&mut tx, company_id).await?;
        drop(tx);
        let d = &detail.deposit;
        let cheques = detail
            .payments
            .iter()
            .map(|p| Cheque {
                drawer: p.customer_name.clone(),
                bank: p.customer_bank.clone(),
                number: p.piece_number.clone(),
                amount: p.amount,
            })
            .collect();
        let doc = DepositSlipDoc {
            locale: reader_locale(house.company.language, &house.company.country),
            letterhead: house.letterhead(d.total.currency()),
            bank_name: d.bank_name.clone(),
            account_name: house.company.name.clone(),
            iban: d.bank_iban.clone(),
            date: d.date,
            number: d.number.clone(),
            cheques,
            total: d.total,
            preview: d.status != DepositStatus::Validated,
        };
        let file_name = format!("deposit-{}.pdf", d.number.replace(['/', '\\', ' '], "-"));
        Ok(Pdf { bytes: rendered(creance_render::deposit::render(&doc))?, file_name })
    }
}
