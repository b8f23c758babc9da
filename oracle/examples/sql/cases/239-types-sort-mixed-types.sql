CREATE TABLE t(v);
INSERT INTO t VALUES ('b'), (2), (NULL), (1.5), (x'01'), ('a'), (10);
SELECT v, typeof(v) FROM t ORDER BY v;
