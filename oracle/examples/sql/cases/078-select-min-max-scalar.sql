CREATE TABLE dept(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, city TEXT);
CREATE TABLE emp(id INTEGER PRIMARY KEY, name TEXT NOT NULL, dept_id INTEGER REFERENCES dept(id), salary INTEGER, manager_id INTEGER, hired TEXT);
INSERT INTO dept VALUES (1, 'Engineering', 'Berlin'), (2, 'Sales', 'Paris'), (3, 'Support', NULL), (4, 'Research', 'Berlin');
INSERT INTO emp VALUES
  (1, 'Ada', 1, 9000, NULL, '2019-03-01'),
  (2, 'Brian', 1, 7000, 1, '2020-07-15'),
  (3, 'Chloe', 2, 6500, 1, '2021-01-10'),
  (4, 'Dmitri', 2, NULL, 3, '2021-11-30'),
  (5, 'Eve', NULL, 5000, 1, '2022-02-28'),
  (6, 'Farid', 3, 4800, 3, '2023-05-05'),
  (7, 'Gita', 1, 7000, 2, '2023-09-01');
SELECT max(3, 7, 5), min('b', 'a', 'c'), abs(-4), sign(-3), round(2.567, 2), round(2.5);
