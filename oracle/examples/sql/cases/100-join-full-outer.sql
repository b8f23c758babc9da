CREATE TABLE a(k);
CREATE TABLE b(k);
INSERT INTO a VALUES (1), (2);
INSERT INTO b VALUES (2), (3);
SELECT a.k, b.k FROM a FULL OUTER JOIN b ON a.k = b.k ORDER BY coalesce(a.k, b.k);
