//! The page frame: the top bar (company and company switch, language switch, user and logout), the
//! tabs in the seeds' order — those not built yet shown disabled, never as dead links —, and the
//! content. `<body>` carries the CSRF token in `hx-headers`, so every htmx request sends it.

use creance_core::Language;
use maud::{html, Markup, DOCTYPE};

use super::i18n::{t, tf, Msg};
use super::session::{role_name, WebUser};
use super::{assets, csrf};

/// The tabs, in the seeds' order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Schedule,
    Payments,
    Refunds,
    Dunning,
    Advances,
    Deposits,
    SmallBalances,
    Customers,
    Reports,
    Settings,
}

impl Tab {
    pub const ALL: [Tab; 10] = [
        Tab::Schedule,
        Tab::Payments,
        Tab::Refunds,
        Tab::Dunning,
        Tab::Advances,
        Tab::Deposits,
        Tab::SmallBalances,
        Tab::Customers,
        Tab::Reports,
        Tab::Settings,
    ];

    fn label(self) -> Msg {
        match self {
            Tab::Schedule => Msg::TabSchedule,
            Tab::Payments => Msg::TabPayments,
            Tab::Refunds => Msg::TabRefunds,
            Tab::Dunning => Msg::TabDunning,
            Tab::Advances => Msg::TabAdvances,
            Tab::Deposits => Msg::TabDeposits,
            Tab::SmallBalances => Msg::TabSmallBalances,
            Tab::Customers => Msg::TabCustomers,
            Tab::Reports => Msg::TabReports,
            Tab::Settings => Msg::TabSettings,
        }
    }

    /// The tab's page, once built (a screen added later sets its path here).
    pub fn href(self) -> Option<&'static str> {
        match self {
            Tab::Payments => Some("/reglements"),
            Tab::Schedule => Some("/echeancier"),
            Tab::Customers => Some("/clients"),
            Tab::Refunds => Some("/remboursements"),
            Tab::Dunning => Some("/relances"),
            Tab::Advances => Some("/acomptes"),
            Tab::Deposits => Some("/remises"),
            Tab::SmallBalances => Some("/petits-soldes"),
            Tab::Reports => Some("/rapports"),
            Tab::Settings => Some("/parametres"),
        }
    }

    /// The first built tab, where `/` leads.
    pub fn first() -> &'static str {
        Tab::ALL.iter().find_map(|t| t.href()).unwrap_or("/clients")
    }
}

/// The `<head>` and the frame shared by the login page and the others.
pub fn document(lang: Language, title: &str, body_attrs_csrf: Option<&str>, content: Markup) -> Markup {
    let hx_headers = body_attrs_csrf.map(|token| format!(r#"{{"X-CSRF-Token": "{token}"}}"#));
    html! {
        (DOCTYPE)
        html lang=(super::i18n::ui_language(lang).code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (t(lang, Msg::AppName)) }
                link rel="stylesheet" href=(assets::css_url());
                script src=(assets::htmx_url()) defer {}
                script src=(assets::js_url()) defer {}
            }
            body hx-headers=[hx_headers] {
                a.skip href="#main" { (t(lang, Msg::SkipToContent)) }
                (content)
            }
        }
    }
}

/// A page of the application, in the frame, with `tab` current.
pub fn page(user: &WebUser, tab: Tab, title: &str, content: Markup) -> Markup {
    let lang = user.lang();
    let s = &user.session;
    let frame = html! {
        header.topbar {
            span.brand { (t(lang, Msg::AppName)) }
            @if s.companies.len() > 1 {
                form.company method="post" action="/company" {
                    (csrf::hidden(user.csrf()))
                    label for="company_id" { (t(lang, Msg::Company)) }
                    select #company_id name="company_id" {
                        @for c in &s.companies {
                            option value=(c.company_id) selected[c.company_id == s.company_id] { (c.company_name) }
                        }
                    }
                    button type="submit" { (t(lang, Msg::SwitchCompany)) }
                }
            } @else {
                span.company-name { (s.company_name) }
            }
            span.spacer {}
            form.language method="post" action="/language" {
                (csrf::hidden(user.csrf()))
                span.label { (t(lang, Msg::Language)) }
                button type="submit" name="language" value="fr" aria-pressed=(lang == Language::Fr) { "FR" }
                button type="submit" name="language" value="en" aria-pressed=(lang != Language::Fr) { "EN" }
            }
            span.user { (tf(lang, Msg::SignedInAs, &[&s.name, role_name(lang, s.role)])) }
            form.logout method="post" action="/logout" {
                (csrf::hidden(user.csrf()))
                button type="submit" { (t(lang, Msg::LogOut)) }
            }
        }
        nav.tabs aria-label=(t(lang, Msg::AppName)) {
            ul {
                // Paramètres is for administrators: the others are not shown a tab that answers 403.
                @for each in Tab::ALL.into_iter().filter(|t| *t != Tab::Settings || s.role >= creance_core::Role::Admin) {
                    li {
                        @match each.href() {
                            Some(href) => {
                                a href=(href) aria-current=[(each == tab).then_some("page")] { (t(lang, each.label())) }
                            }
                            None => {
                                span.disabled aria-disabled="true" title=(t(lang, Msg::NotYetAvailable)) { (t(lang, each.label())) }
                            }
                        }
                    }
                }
            }
        }
        main #main tabindex="-1" {
            (content)
        }
    };
    document(lang, title, Some(user.csrf()), frame)
}

/// A short page for an error (403, 404, 500), in the frame when there is a user.
pub fn error_page(lang: Language, title: &str, detail: &str) -> Markup {
    document(
        lang,
        title,
        None,
        html! {
            main #main.error tabindex="-1" {
                h1 { (title) }
                p.error-detail { (detail) }
                p { a href="/" { (t(lang, Msg::BackToCustomers)) } }
            }
        },
    )
}
