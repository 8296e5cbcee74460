-- The matching reads each posting's locale: carry it in the key's index so counting shared
-- terms is an index-only scan.
ALTER TABLE article_terms DROP CONSTRAINT article_terms_pkey;
ALTER TABLE article_terms ADD PRIMARY KEY (term, service_id, article_id) INCLUDE (locale);
