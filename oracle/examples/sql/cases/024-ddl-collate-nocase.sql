CREATE TABLE t(s TEXT COLLATE NOCASE);
INSERT INTO t VALUES ('b'), ('A'), ('a'), ('B');
SELECT s FROM t ORDER BY s, rowid;
SELECT count(*) FROM t WHERE s = 'a';
