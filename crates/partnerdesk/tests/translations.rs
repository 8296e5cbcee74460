//! Every text of the console and the API exists in all three languages, and every key the code
//! and the templates ask for exists.

use std::{collections::BTreeSet, fs, path::Path};

use partnerdesk::i18n::Locale;
use partnerdesk_app::domain::{
    Action, Category, ContactChannel, EnumText, EscalationCriterion, IncidentKind, IncidentStatus,
    PublicStatus, Role, Severity, State,
};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The message ids defined in one language's files, which must parse without errors.
fn defined(locale: Locale) -> BTreeSet<String> {
    let dir = Path::new(ROOT).join("locales").join(locale.tag());
    let mut ids = BTreeSet::new();
    for entry in fs::read_dir(&dir).expect("locale folder") {
        let path = entry.unwrap().path();
        let text = fs::read_to_string(&path).unwrap();
        let resource = fluent_syntax::parser::parse(text.as_str())
            .unwrap_or_else(|(_, errors)| panic!("{}: {errors:?}", path.display()));
        for entry in resource.body {
            if let fluent_syntax::ast::Entry::Message(message) = entry {
                ids.insert(message.id.name.to_string());
            }
        }
    }
    ids
}

/// Quoted strings in `text` that follow `marker` (e.g. `t("`), up to the closing quote.
fn quoted_after(text: &str, marker: &str) -> Vec<String> {
    text.split(marker)
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect()
}

fn files(dir: &str, ext: &str) -> Vec<String> {
    let mut out = vec![];
    for entry in fs::read_dir(Path::new(ROOT).join(dir)).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == ext) {
            out.push(fs::read_to_string(path).unwrap());
        }
    }
    out
}

#[test]
fn every_language_has_every_text() {
    let english = defined(Locale::En);
    assert!(english.len() > 50, "the English texts were found");
    for locale in [Locale::Zh, Locale::Ru] {
        let other = defined(locale);
        let missing: Vec<_> = english.difference(&other).collect();
        let extra: Vec<_> = other.difference(&english).collect();
        assert!(missing.is_empty(), "{} lacks {missing:?}", locale.tag());
        assert!(extra.is_empty(), "{} has unknown {extra:?}", locale.tag());
    }
}

#[test]
fn every_key_the_console_asks_for_exists() {
    let english = defined(Locale::En);
    let families: BTreeSet<&str> = english.iter().filter_map(|k| k.split('-').next()).collect();
    let mut asked = BTreeSet::new();
    for template in files("templates/web", "html") {
        asked.extend(quoted_after(&template, "frame.t(\""));
    }
    for source in files("src/web", "rs") {
        for marker in [".text(\"", "text_with(\"", "frame(\"", "Some(\"flash-"] {
            for key in quoted_after(&source, marker) {
                asked.insert(if marker.ends_with("flash-") {
                    format!("flash-{key}")
                } else {
                    key
                });
            }
        }
        // Any other literal shaped like a key of a known family (`"sort-newest"`,
        // `"request-form-title-customer"`): tables and choices name keys this way.
        for literal in source.split('"').skip(1).step_by(2) {
            let shaped = literal.contains('-')
                && !literal.ends_with('-')
                && literal
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
            if shaped && families.contains(literal.split('-').next().unwrap_or("")) {
                asked.insert(literal.to_string());
            }
        }
    }
    // Keys the code builds from enums.
    for role in Role::ALL {
        asked.insert(format!("role-{}", role.as_str()));
    }
    for state in State::ALL {
        asked.insert(format!("state-{}", state.as_str()));
    }
    for severity in Severity::ALL {
        asked.insert(format!("severity-{}", severity.as_str()));
        asked.insert(format!("severity-{}-meaning", severity.as_str()));
    }
    for status in IncidentStatus::ALL {
        asked.insert(format!("incident-status-{}", status.as_str()));
    }
    for kind in IncidentKind::ALL {
        asked.insert(format!("incident-kind-{}", kind.as_str()));
    }
    for category in Category::ALL {
        asked.insert(format!("category-{}", category.as_str()));
    }
    for criterion in EscalationCriterion::ALL {
        asked.insert(format!("criterion-{}", criterion.as_str()));
    }
    for action in Action::ALL {
        asked.insert(format!("action-{}", action.as_str()));
        asked.insert(format!("history-{}", action.as_str()));
    }
    for channel in ContactChannel::ALL {
        asked.insert(format!("channel-{}", channel.as_str()));
    }
    for status in PublicStatus::ALL {
        asked.insert(format!("status-{}", status.as_str()));
    }
    assert!(asked.len() > 40, "the keys in use were found: {asked:?}");
    let missing: Vec<_> = asked.difference(&english).collect();
    assert!(missing.is_empty(), "used but not defined: {missing:?}");
}

#[test]
fn arguments_are_filled_in_and_plurals_follow_the_language() {
    let n =
        |locale: Locale, total: i64| locale.text_with("requests-count", &[("total", total.into())]);
    assert_eq!(n(Locale::En, 1), "1 request");
    assert_eq!(n(Locale::En, 5), "5 requests");
    assert_eq!(n(Locale::Ru, 1), "1 запрос");
    assert_eq!(n(Locale::Ru, 3), "3 запроса");
    assert_eq!(n(Locale::Ru, 5), "5 запросов");
    assert_eq!(n(Locale::Zh, 5), "5 个请求");
    assert_eq!(Locale::Zh.describe("not_found"), "未找到。");
    assert_eq!(
        Locale::En.describe("no_such_code"),
        Locale::En.describe("internal")
    );
}
