//! The payment form (seed 001's "zone Règlement"): date (today by default, from the request's
//! instant), deposit date, deposit bank (the company's accounts), customer (by number, changeable,
//! with suggestions), customer bank (the card's by default), method (the company's, by label), piece
//! number, amount (a decimal string, parsed by the app as the API's). `?customer_id=&amount=` prefill
//! it (the Échéancier's rows link here). A likely duplicate is shown with the earlier payment and a
//! button that records it anyway (`confirm_duplicate`, as in the API).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use creance_app::payments::RecordPayment;
use creance_app::queries::{CustomerFilter, Page};
use creance_app::views::money::Payment;
use creance_app::views::settings::{BankAccount, PaymentMethod};
use creance_app::{App, AppError, Code, Fault, Thing};
use creance_core::{AmountText, Role};
use maud::{html, Markup};
use serde::Deserialize;

use super::super::format::{amount, date};
use super::super::i18n::{t, Msg};
use super::super::layout::{page, Tab};
use super::super::once::{self, Outcome};
use super::super::{csrf, html, refusal, WebError, WebUser};
use super::messages::M;
use super::refusal_box;

/// Suggestions offered for the customer field.
const SUGGESTIONS: i64 = 10;

/// The form's fields, named as the API's (`RecordPayment`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PaymentFields {
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub deposit_date: String,
    #[serde(default)]
    pub deposit_bank_id: String,
    #[serde(default)]
    pub customer_number: String,
    #[serde(default)]
    pub customer_bank: String,
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub piece_number: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub confirm_duplicate: String,
}

impl PaymentFields {
    fn from_pairs(pairs: &[(String, String)]) -> PaymentFields {
        let mut f = PaymentFields::default();
        for (k, v) in pairs {
            let slot = match k.as_str() {
                "date" => &mut f.date,
                "deposit_date" => &mut f.deposit_date,
                "deposit_bank_id" => &mut f.deposit_bank_id,
                "customer_number" => &mut f.customer_number,
                "customer_bank" => &mut f.customer_bank,
                "method" => &mut f.method,
                "piece_number" => &mut f.piece_number,
                "amount" => &mut f.amount,
                "confirm_duplicate" => &mut f.confirm_duplicate,
                _ => continue,
            };
            *slot = v.clone();
        }
        f
    }

    /// The use case's input; a deposit bank that is not a number is refused on its field.
    fn input(&self) -> Result<RecordPayment, AppError> {
        let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let deposit_bank_id = match opt(&self.deposit_bank_id) {
            None => None,
            Some(v) => Some(v.parse::<i64>().map_err(|_| {
                AppError::invalid_said("deposit_bank_id", Fault::NoSuch { thing: Thing::BankAccount, key: v })
            })?),
        };
        Ok(RecordPayment {
            customer_id: None,
            customer_number: Some(self.customer_number.trim().to_string()),
            date: opt(&self.date),
            amount: AmountText::from(self.amount.trim()),
            currency: None,
            method: self.method.clone(),
            piece_number: self.piece_number.clone(),
            customer_bank: self.customer_bank.clone(),
            deposit_bank_id,
            deposit_date: opt(&self.deposit_date),
            confirm_duplicate: self.confirm_duplicate == "1",
            ..Default::default()
        })
    }
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    customer_id: Option<String>,
    amount: Option<String>,
    method: Option<String>,
}

/// What the form is shown with besides its values.
struct FormState<'a> {
    fields: &'a PaymentFields,
    /// The field an error names (`customer_id` is shown on the customer field) and its reason.
    error: Option<(String, String)>,
    /// A refusal that names no field of the form.
    refusal: Option<String>,
    /// The earlier payment a likely duplicate looks like.
    duplicate: Option<Payment>,
    /// The customer's name, when the number names one.
    customer_name: Option<String>,
}

/// `GET /reglements/nouveau`.
pub async fn new(State(app): State<App>, user: WebUser, Query(q): Query<NewQuery>) -> Result<Response, WebError> {
    user.require(Role::Clerk)?;
    let mut fields = PaymentFields {
        date: date(user.at.date(), user.lang()),
        amount: q.amount.unwrap_or_default(),
        ..Default::default()
    };
    let mut error = None;
    let mut customer_name = None;
    if let Some(raw) = q.customer_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let found = match raw.parse::<i64>() {
            Ok(id) => match app.customer(user.company_id(), id).await {
                Ok(c) => Some(c),
                Err(AppError::NotFound { .. }) => None,
                Err(e) => return Err(e.into()),
            },
            Err(_) => None,
        };
        match found {
            Some(c) => {
                fields.customer_number = c.fields.number.clone();
                fields.customer_bank = c.fields.bank.clone();
                customer_name = Some(c.fields.name.clone());
            }
            None => {
                let e =
                    AppError::invalid_said("customer_id", Fault::NoSuch { thing: Thing::Customer, key: raw.into() });
                error = Some(("customer_id".to_string(), refusal::text(user.lang(), &e)))
            }
        }
    }
    let (banks, methods) = choices(&app, &user).await?;
    // The method is chosen, never preselected: a wrong default (a card for a cheque) would skip the
    // deposit. `?method=` may name it.
    if let Some(m) = q.method.as_deref().filter(|m| methods.iter().any(|x| x.active && x.code == *m)) {
        fields.method = m.to_string();
    }
    let state = FormState { fields: &fields, error, refusal: None, duplicate: None, customer_name };
    Ok(html(form_page(&user, &state, &banks, &methods)?).into_response())
}

async fn choices(app: &App, user: &WebUser) -> Result<(Vec<BankAccount>, Vec<PaymentMethod>), WebError> {
    Ok((app.bank_accounts(user.company_id()).await?, app.payment_methods(user.company_id()).await?))
}

/// `POST /reglements/nouveau`: records (303 to the payment's page, where the allocation window is
/// open), or shows the form again with the refusal next to its field (422), or the duplicate warning
/// (409).
pub async fn record(
    State(app): State<App>,
    user: WebUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Role::Clerk)?;
    let fields = PaymentFields::from_pairs(&pairs);
    once::run(&app, &user, "/reglements/nouveau", &pairs, || async {
        let today = user.at.date();
        let result = match fields.input() {
            Ok(input) => {
                app.record_payment(&user.actor(), user.company_id(), &input, today).await.map_err(|e| (e, Some(input)))
            }
            Err(e) => Err((e, None)),
        };
        let (e, input) = match result {
            Ok(detail) => return Ok(Outcome::Done(format!("/reglements/{}?recorded=1#allocation", detail.payment.id))),
            Err(x) => x,
        };
        let (banks, methods) = choices(&app, &user).await?;
        let mut state = FormState { fields: &fields, error: None, refusal: None, duplicate: None, customer_name: None };
        let status = match e {
            AppError::Invalid(fe) => {
                state.error = Some((fe.field.clone(), refusal::field(user.lang(), &fe)));
                StatusCode::UNPROCESSABLE_ENTITY
            }
            AppError::Rejected(r) if r.code == Code::LikelyDuplicate => {
                if let Some(input) = &input {
                    state.duplicate = app.earlier_duplicate(user.company_id(), input, today).await?;
                }
                if state.duplicate.is_none() {
                    state.refusal = Some(refusal::rejection(user.lang(), &r));
                }
                StatusCode::CONFLICT
            }
            AppError::Rejected(r) => {
                state.refusal = Some(refusal::rejection(user.lang(), &r));
                StatusCode::CONFLICT
            }
            other => return Err(other.into()),
        };
        let page = form_page(&user, &state, &banks, &methods)?;
        Ok(Outcome::Refused((status, html(page)).into_response()))
    })
    .await
}

fn form_page(
    user: &WebUser,
    s: &FormState<'_>,
    banks: &[BankAccount],
    methods: &[PaymentMethod],
) -> Result<Markup, WebError> {
    let lang = user.lang();
    let f = s.fields;
    let error_for = |names: &[&str]| {
        s.error.as_ref().filter(|(field, _)| names.contains(&field.as_str())).map(|(_, reason)| reason.clone())
    };
    let known = [
        "date",
        "deposit_date",
        "deposit_bank_id",
        "customer_id",
        "customer_number",
        "customer_bank",
        "method",
        "piece_number",
        "amount",
        "currency",
    ];
    let other_error = s.error.as_ref().filter(|(field, _)| !known.contains(&field.as_str()));
    let key = once::hidden()?;
    let body = html! {
        p.crumbs { a href="/reglements" { (t(lang, M::Title)) } " › " (t(lang, M::FormTitle)) }
        h1 { (t(lang, M::FormTitle)) }
        @if s.error.is_some() { p.field-error role="alert" { (t(lang, M::FormRefused)) } }
        @if let Some((field, reason)) = other_error { (refusal_box(lang, &format!("{field}: {reason}"))) }
        @if let Some(r) = &s.refusal { (refusal_box(lang, r)) }
        @if let Some(d) = &s.duplicate { (duplicate_box(user, d, f)?) }
        form.payment method="post" action="/reglements/nouveau" onsubmit=(once::ONSUBMIT) {
            (csrf::hidden(user.csrf()))
            (key)
            div.form-grid {
                (field(lang, "date", Msg::Date.into(), None, error_for(&["date"]), html! {
                    input #f-date type="text" name="date" value=(f.date) required autocomplete="off"
                        placeholder=(t(lang, Msg::DateInputHint));
                }))
                (field(lang, "deposit_date", M::DepositDate.into(), Some(M::DepositDateHint), error_for(&["deposit_date"]), html! {
                    input #f-deposit_date type="text" name="deposit_date" value=(f.deposit_date) autocomplete="off"
                        placeholder=(t(lang, Msg::DateInputHint));
                }))
                (field(lang, "deposit_bank_id", M::DepositBank.into(), None, error_for(&["deposit_bank_id"]), html! {
                    select #f-deposit_bank_id name="deposit_bank_id" {
                        option value="" { (t(lang, M::NoBank)) }
                        @for b in banks {
                            option value=(b.id) selected[f.deposit_bank_id == b.id.to_string()] { (b.name) " (" (b.currency.code()) ")" }
                        }
                    }
                }))
                (field(lang, "customer_number", M::CustomerField.into(), Some(M::CustomerHint), error_for(&["customer_id", "customer_number"]), html! {
                    input #f-customer_number type="text" name="customer_number" value=(f.customer_number) list="customer-options"
                        autocomplete="off" required hx-get="/reglements/clients" hx-trigger="input changed delay:250ms"
                        hx-target="#customer-options" hx-sync="this:replace";
                    datalist #customer-options {}
                    @if let Some(name) = &s.customer_name { p.hint #customer-name { (name) } }
                }))
                (field(lang, "customer_bank", M::CustomerBank.into(), Some(M::CustomerBankHint), error_for(&["customer_bank"]), html! {
                    input #f-customer_bank type="text" name="customer_bank" value=(f.customer_bank);
                }))
                (field(lang, "method", M::MethodField.into(), None, error_for(&["method"]), html! {
                    select #f-method name="method" required {
                        option value="" { (t(lang, M::ChooseMethod)) }
                        @for m in methods.iter().filter(|m| m.active || m.code == f.method) {
                            option value=(m.code) selected[m.code == f.method] { (m.label) }
                        }
                    }
                }))
                (field(lang, "piece_number", Msg::Piece.into(), Some(M::PieceHint), error_for(&["piece_number"]), html! {
                    input #f-piece_number type="text" name="piece_number" value=(f.piece_number);
                }))
                (field(lang, "amount", Msg::Amount.into(), Some(M::AmountHint), error_for(&["amount", "currency"]), html! {
                    input #f-amount.amount type="text" name="amount" value=(f.amount) inputmode="decimal" required
                        autofocus[!f.customer_number.is_empty()];
                }))
            }
            div.form-actions {
                button.primary #record type="submit" { (t(lang, M::Record)) }
                a href="/reglements" { (t(lang, M::Back)) }
            }
        }
    };
    Ok(page(user, Tab::Payments, t(lang, M::FormTitle), body))
}

/// A label from either catalogue.
#[derive(Clone, Copy)]
enum Label {
    Shared(Msg),
    Own(M),
}

impl From<Msg> for Label {
    fn from(m: Msg) -> Label {
        Label::Shared(m)
    }
}

impl From<M> for Label {
    fn from(m: M) -> Label {
        Label::Own(m)
    }
}

/// One field: its label, the control, its hint and its error (tied by `aria-describedby`).
fn field(
    lang: creance_core::Language,
    name: &str,
    label: Label,
    hint: Option<M>,
    error: Option<String>,
    control: Markup,
) -> Markup {
    let label = match label {
        Label::Shared(m) => t(lang, m),
        Label::Own(m) => t(lang, m),
    };
    html! {
        div.field.invalid[error.is_some()] data-field=(name) {
            label for=(format!("f-{name}")) { (label) }
            (control)
            @if let Some(h) = hint { p.hint { (t(lang, h)) } }
            @if let Some(e) = &error { p.field-error id=(format!("{name}-error")) role="alert" { (e) } }
        }
    }
}

/// The duplicate warning: the earlier payment and a form that records this one anyway (the same
/// values, `confirm_duplicate=1`).
fn duplicate_box(user: &WebUser, d: &Payment, f: &PaymentFields) -> Result<Markup, WebError> {
    let lang = user.lang();
    let key = once::hidden()?;
    Ok(html! {
        section.duplicate #duplicate role="alert" aria-labelledby="duplicate-h" {
            h2 #duplicate-h { (t(lang, M::DuplicateTitle)) }
            p { (t(lang, M::DuplicateText)) }
            table.list {
                thead { tr {
                    th { (t(lang, Msg::Number)) } th.num { (t(lang, Msg::Date)) } th { (t(lang, M::Customer)) }
                    th { (t(lang, Msg::Piece)) } th.num { (t(lang, Msg::Amount)) }
                } }
                tbody { tr {
                    td { a href=(format!("/reglements/{}", d.id)) { (d.number) } }
                    td.num { (date(d.date, lang)) }
                    td { (d.customer_number) " · " (d.customer_name) }
                    td { (d.piece_number) }
                    td.num { (amount(d.amount, lang)) }
                } }
            }
            form method="post" action="/reglements/nouveau" onsubmit=(once::ONSUBMIT) {
                (csrf::hidden(user.csrf()))
                (key)
                @for (name, value) in [
                    ("date", &f.date), ("deposit_date", &f.deposit_date), ("deposit_bank_id", &f.deposit_bank_id),
                    ("customer_number", &f.customer_number), ("customer_bank", &f.customer_bank), ("method", &f.method),
                    ("piece_number", &f.piece_number), ("amount", &f.amount),
                ] {
                    input type="hidden" name=(name) value=(value);
                }
                input type="hidden" name="confirm_duplicate" value="1";
                div.form-actions {
                    button.primary #confirm-duplicate type="submit" { (t(lang, M::ConfirmDuplicate)) }
                    a href="/reglements" { (t(lang, M::DoNotRecord)) }
                }
            }
        }
    })
}

#[derive(Deserialize, Default)]
pub struct SuggestQuery {
    customer_number: Option<String>,
}

/// `GET /reglements/clients?customer_number=…`: the `<option>`s of the customer field's datalist
/// (the customer list's search: part of the number or the name), for htmx.
pub async fn suggestions(
    State(app): State<App>,
    user: WebUser,
    Query(q): Query<SuggestQuery>,
) -> Result<Response, WebError> {
    let search = q.customer_number.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let Some(search) = search else { return Ok(html(html! {}).into_response()) };
    let filter = CustomerFilter { search: Some(search), ..Default::default() };
    let found = app.customers(user.company_id(), &filter, Page::new(Some(SUGGESTIONS), None)?).await?;
    Ok(html(html! {
        @for c in &found.items {
            option value=(c.fields.number) { (c.fields.number) " · " (c.fields.name) " (" (c.fields.currency.code()) ")" }
        }
    })
    .into_response())
}
