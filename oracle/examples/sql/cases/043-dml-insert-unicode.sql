CREATE TABLE t(s);
INSERT INTO t VALUES ('Grüße'), ('日本語'), ('emoji 🎉');
SELECT s, length(s), upper(s) FROM t;
