-- The search terms of published articles as an inverted index, so the pre-submit matching
-- counts shared terms from an index instead of comparing every article of the service.
CREATE TABLE article_terms (
    term        TEXT NOT NULL,
    service_id  TEXT NOT NULL,
    article_id  BIGINT NOT NULL REFERENCES articles (id),
    locale      TEXT NOT NULL,
    PRIMARY KEY (term, service_id, article_id)
);
CREATE INDEX article_terms_article ON article_terms (article_id);
INSERT INTO article_terms (term, service_id, article_id, locale)
    SELECT DISTINCT t.term, a.service_id, a.id, a.locale
    FROM articles a, unnest(string_to_array(trim(a.terms), ' ')) AS t(term)
    WHERE a.status = 'published' AND trim(a.terms) <> '';
