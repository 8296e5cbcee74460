-- The matching reads each posting's locale: keep it in the key's b-tree (WITHOUT ROWID) so
-- counting shared terms never seeks into a separate table row per posting.
CREATE TABLE article_terms_covering (
    term        TEXT NOT NULL,
    service_id  TEXT NOT NULL,
    article_id  INTEGER NOT NULL REFERENCES articles (id),
    locale      TEXT NOT NULL,
    PRIMARY KEY (term, service_id, article_id)
) WITHOUT ROWID;
INSERT INTO article_terms_covering (term, service_id, article_id, locale)
    SELECT term, service_id, article_id, locale FROM article_terms;
DROP TABLE article_terms;
ALTER TABLE article_terms_covering RENAME TO article_terms;
CREATE INDEX article_terms_article ON article_terms (article_id);
