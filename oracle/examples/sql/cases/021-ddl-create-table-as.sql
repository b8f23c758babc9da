CREATE TABLE t(a, b);
INSERT INTO t VALUES (1, 'x'), (2, 'y');
CREATE TABLE u AS SELECT b, a * 2 AS d FROM t;
SELECT * FROM u;
SELECT sql FROM sqlite_master WHERE name = 'u';
