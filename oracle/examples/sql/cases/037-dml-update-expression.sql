CREATE TABLE t(n INTEGER);
INSERT INTO t VALUES (1), (2), (3);
UPDATE t SET n = n * n + 1;
SELECT group_concat(n) FROM t;
