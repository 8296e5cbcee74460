//! partnerdesk: the binary's edges (REST API, CLI) over the use cases of `partnerdesk-app`.

pub mod api;
pub mod audit_csv;
pub mod cli;
pub mod cookies;
pub mod download;
pub mod i18n;
pub mod jobs;
pub mod query;
pub mod server;
pub mod uploads;
pub mod web;
