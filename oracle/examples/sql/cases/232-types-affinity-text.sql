CREATE TABLE t(s TEXT);
INSERT INTO t VALUES (12), (1.5), (x'41');
SELECT s, typeof(s) FROM t;
