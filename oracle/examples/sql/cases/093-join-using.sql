CREATE TABLE a(k, x);
CREATE TABLE b(k, y);
INSERT INTO a VALUES (1, 'a1'), (2, 'a2');
INSERT INTO b VALUES (2, 'b2'), (3, 'b3');
SELECT k, x, y FROM a JOIN b USING (k);
