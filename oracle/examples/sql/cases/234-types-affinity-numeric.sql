CREATE TABLE t(n NUMERIC);
INSERT INTO t VALUES ('10'), ('10.0'), ('1e2'), ('0x10'), (' 7 ');
SELECT n, typeof(n) FROM t;
