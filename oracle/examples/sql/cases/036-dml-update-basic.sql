CREATE TABLE t(a, b);
INSERT INTO t VALUES (1, 'x'), (2, 'y');
UPDATE t SET b = 'z' WHERE a = 2;
SELECT * FROM t;
