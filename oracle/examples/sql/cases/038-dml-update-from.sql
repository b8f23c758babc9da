CREATE TABLE t(id, v);
CREATE TABLE u(id, w);
INSERT INTO t VALUES (1, 0), (2, 0);
INSERT INTO u VALUES (1, 'one'), (2, 'two');
UPDATE t SET v = u.w FROM u WHERE u.id = t.id;
SELECT * FROM t;
