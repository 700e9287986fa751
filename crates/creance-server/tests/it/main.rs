//! The integration tests of this crate, one binary (one link on two cores).

mod api;
mod api_flows;
mod api_limits;
mod browser;
mod exports;
mod pdf;
mod rejections;
mod report_pages;
mod reports;
mod small_balances;
mod web;
mod web_audit;
mod web_cash;
mod web_clear;
mod web_dunning;
mod web_installation;
mod web_payments;
mod web_refusals;
mod web_reports;
mod web_schedule;
mod web_settings;
mod web_settings_dunning;
mod web_small_balances;
