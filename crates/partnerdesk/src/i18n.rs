//! The product's three languages: which one a reader gets, and its texts (Project Fluent files
//! under `locales/`, compiled into the binary). The API's messages and the pages share them.

use std::{borrow::Cow, collections::HashMap};

use axum::http::HeaderMap;
use fluent_templates::{LanguageIdentifier, Loader, fluent_bundle::FluentValue, langid};
use partnerdesk_app::domain::{ContentLocale, FieldError, FieldErrorKind, SizeUnit};

fluent_templates::static_loader! {
    static TEXTS = {
        locales: "./locales",
        fallback_language: "en-US",
        // No Unicode isolation marks around arguments: the texts go into HTML and JSON as is.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static EN: LanguageIdentifier = langid!("en-US");
static ZH: LanguageIdentifier = langid!("zh-CN");
static RU: LanguageIdentifier = langid!("ru-RU");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    En,
    Zh,
    Ru,
}

impl Locale {
    pub const ALL: [Locale; 3] = [Locale::En, Locale::Zh, Locale::Ru];

    /// `X-Locale`, else `Accept-Language`, else English.
    pub fn from_headers(headers: &HeaderMap) -> Locale {
        let pick = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_ascii_lowercase)
        };
        if let Some(value) = pick("x-locale") {
            return Locale::parse(&value).unwrap_or_default();
        }
        pick("accept-language")
            .and_then(|v| {
                v.split(',')
                    .find_map(|tag| Locale::parse(tag.split(';').next().unwrap_or("").trim()))
            })
            .unwrap_or_default()
    }

    /// A language tag (`zh`, `zh-CN`, `ru_RU`, …) of one of the three languages.
    pub fn parse(tag: &str) -> Option<Locale> {
        match tag
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
            .as_str()
        {
            "en" => Some(Locale::En),
            "zh" => Some(Locale::Zh),
            "ru" => Some(Locale::Ru),
            _ => None,
        }
    }

    /// The BCP 47 tag, as stored on a user and written in `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en-US",
            Locale::Zh => "zh-CN",
            Locale::Ru => "ru-RU",
        }
    }

    /// The language's name in itself, for the language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Zh => "简体中文",
            Locale::Ru => "Русский",
        }
    }

    /// The language of written content (incidents, articles) that this reader prefers.
    pub fn content(self) -> ContentLocale {
        match self {
            Locale::En => ContentLocale::En,
            Locale::Zh => ContentLocale::Zh,
            Locale::Ru => ContentLocale::Ru,
        }
    }

    /// Of content written in several languages, the entry in this one, else English, else the
    /// first.
    pub fn pick<T>(self, items: &[T], locale_of: impl Fn(&T) -> ContentLocale) -> Option<&T> {
        let want = self.content();
        items
            .iter()
            .find(|t| locale_of(t) == want)
            .or_else(|| items.iter().find(|t| locale_of(t) == ContentLocale::En))
            .or_else(|| items.first())
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Locale::En => &EN,
            Locale::Zh => &ZH,
            Locale::Ru => &RU,
        }
    }

    /// The text `key` in this language (English if this one lacks it; the key itself if no
    /// language has it, so a slip shows instead of an empty label).
    pub fn text(self, key: &str) -> String {
        TEXTS
            .try_lookup(self.id(), key)
            .unwrap_or_else(|| key.to_string())
    }

    /// The text `key` with its `{ $name }` arguments filled in.
    pub fn text_with(self, key: &str, args: &[(&'static str, FluentValue<'_>)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue<'_>> = args
            .iter()
            .map(|(name, value)| (Cow::Borrowed(*name), value.clone()))
            .collect();
        TEXTS
            .try_lookup_with_args(self.id(), key, &args)
            .unwrap_or_else(|| key.to_string())
    }

    /// Whether this language itself (no fallback) has `key` as a text without arguments.
    pub fn has(self, key: &str) -> bool {
        TEXTS
            .lookup_single_language::<&str>(self.id(), key, None)
            .is_ok()
    }

    /// The message of an error code.
    pub fn describe(self, code: &str) -> String {
        let key = format!("error-{code}");
        if TEXTS.try_lookup(self.id(), &key).is_some() {
            self.text(&key)
        } else {
            self.text("error-internal")
        }
    }

    /// "title: is required", in this language.
    pub fn field_message(self, error: &FieldError) -> String {
        let what = match &error.kind {
            FieldErrorKind::Required => self.text("field-required"),
            FieldErrorKind::TooLong { max } => {
                self.text_with("field-too-long", &[("max", (*max as i64).into())])
            }
            FieldErrorKind::TooShort { min } => {
                self.text_with("field-too-short", &[("min", (*min as i64).into())])
            }
            FieldErrorKind::NotOneOf { allowed } => self.text_with(
                "field-not-one-of",
                &[("allowed", allowed.join(", ").into())],
            ),
            FieldErrorKind::TooLarge { max, unit } => self.text_with(
                match unit {
                    SizeUnit::Megabytes => "field-too-large-megabytes",
                    SizeUnit::Files => "field-too-many-files",
                },
                &[("max", (*max as i64).into())],
            ),
            FieldErrorKind::Invalid { reason } => {
                self.text_with("field-invalid", &[("reason", reason.to_string().into())])
            }
        };
        format!("{}: {what}", error.field)
    }
}
