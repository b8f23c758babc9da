CREATE TABLE t(r REAL);
INSERT INTO t VALUES (1), ('2.5'), ('x');
SELECT r, typeof(r) FROM t;
