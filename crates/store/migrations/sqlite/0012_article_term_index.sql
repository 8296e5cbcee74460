-- The search terms of published articles as an inverted index, so the pre-submit matching
-- counts shared terms from an index instead of comparing every article of the service.
CREATE TABLE article_terms (
    term        TEXT NOT NULL,
    service_id  TEXT NOT NULL,
    article_id  INTEGER NOT NULL REFERENCES articles (id),
    locale      TEXT NOT NULL,
    PRIMARY KEY (term, service_id, article_id)
);
CREATE INDEX article_terms_article ON article_terms (article_id);
-- Terms are letters, digits, dots and CJK characters, so they split safely as a JSON array.
INSERT OR IGNORE INTO article_terms (term, service_id, article_id, locale)
    SELECT t.value, a.service_id, a.id, a.locale
    FROM articles a, json_each('["' || replace(trim(a.terms), ' ', '","') || '"]') t
    WHERE a.status = 'published' AND trim(a.terms) <> '';
