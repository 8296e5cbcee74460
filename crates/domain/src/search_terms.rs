//! The words a text is matched by, the same for every language: Latin and Cyrillic words
//! lower-cased and stemmed (English and Russian Snowball), so that inflected forms meet
//! (`письма` and `письмо`, `bounces` and `bounce`); Chinese, Japanese and Korean runs cut into
//! overlapping two-character pieces, since they have no spaces between words.

use rust_stemmers::{Algorithm, Stemmer};

/// At most this many distinct terms are taken from a query.
pub const MAX_QUERY_TERMS: usize = 24;

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // kana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF) // compatibility ideographs
}

/// The distinct terms of `text`, in order of first appearance.
pub fn search_terms(text: &str) -> Vec<String> {
    let english = Stemmer::create(Algorithm::English);
    let russian = Stemmer::create(Algorithm::Russian);
    let mut terms: Vec<String> = vec![];
    let mut push = |term: String, terms: &mut Vec<String>| {
        if !terms.contains(&term) {
            terms.push(term);
        }
    };
    let mut word = String::new();
    let mut cjk: Vec<char> = vec![];
    let flush_word = |word: &mut String,
                      terms: &mut Vec<String>,
                      push: &mut dyn FnMut(String, &mut Vec<String>)| {
        let trimmed = word.trim_end_matches('.');
        if trimmed.chars().count() >= 2 {
            let lower = trimmed.to_lowercase();
            let stem = if lower
                .chars()
                .any(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
            {
                russian.stem(&lower).into_owned()
            } else {
                english.stem(&lower).into_owned()
            };
            push(stem, terms);
        }
        word.clear();
    };
    let flush_cjk = |cjk: &mut Vec<char>,
                     terms: &mut Vec<String>,
                     push: &mut dyn FnMut(String, &mut Vec<String>)| {
        match cjk.len() {
            0 => {}
            1 => push(cjk[0].to_string(), terms),
            _ => cjk
                .windows(2)
                .for_each(|pair| push(pair.iter().collect(), terms)),
        }
        cjk.clear();
    };
    for c in text.chars() {
        if is_cjk(c) {
            flush_word(&mut word, &mut terms, &mut push);
            cjk.push(c);
        } else if c.is_alphanumeric() || (c == '.' && !word.is_empty()) {
            flush_cjk(&mut cjk, &mut terms, &mut push);
            word.push(c);
        } else {
            flush_word(&mut word, &mut terms, &mut push);
            flush_cjk(&mut cjk, &mut terms, &mut push);
        }
    }
    flush_word(&mut word, &mut terms, &mut push);
    flush_cjk(&mut cjk, &mut terms, &mut push);
    terms
}

/// The terms as stored beside a text: space-separated and space-delimited, so a term is
/// found with `LIKE '% term %'`.
pub fn stored_terms(text: &str) -> String {
    format!(" {} ", search_terms(text).join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflected_russian_and_english_forms_meet() {
        let stem = |w: &str| search_terms(w)[0].clone();
        assert_eq!(stem("письма"), stem("письмо"));
        assert_eq!(stem("Почту"), stem("почта"));
        assert_eq!(stem("bounces"), stem("bounce"));
        assert_eq!(stem("Delivered"), stem("deliver"));
    }

    #[test]
    fn chinese_is_cut_into_overlapping_pairs() {
        assert_eq!(
            search_terms("邮件无法发送"),
            ["邮件", "件无", "无法", "法发", "发送"]
        );
        assert_eq!(search_terms("邮"), ["邮"]);
        let mixed = search_terms("Teams 会议掉线, error 5.7.1");
        assert!(
            mixed.contains(&"会议".to_string()) && mixed.contains(&"5.7.1".to_string()),
            "{mixed:?}"
        );
        assert!(mixed.contains(&"team".to_string()), "{mixed:?}");
    }

    #[test]
    fn terms_are_distinct_and_stored_space_delimited() {
        assert_eq!(search_terms("mail Mail MAIL."), ["mail"]);
        assert_eq!(stored_terms("mail 邮件"), " mail 邮件 ");
        assert!(search_terms("a , ; !").is_empty());
    }
}
