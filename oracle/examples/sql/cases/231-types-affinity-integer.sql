CREATE TABLE t(i INTEGER);
INSERT INTO t VALUES ('12'), ('1.0'), ('1.5'), ('abc'), (3.0);
SELECT i, typeof(i) FROM t;
