CREATE TABLE acct(id INTEGER PRIMARY KEY, balance);
CREATE TABLE history(id, old, new);
CREATE TRIGGER acct_upd AFTER UPDATE OF balance ON acct
BEGIN
  INSERT INTO history VALUES (old.id, old.balance, new.balance);
END;
INSERT INTO acct VALUES (1, 100);
UPDATE acct SET balance = balance - 30 WHERE id = 1;
UPDATE acct SET balance = balance + 5 WHERE id = 1;
SELECT * FROM history;
