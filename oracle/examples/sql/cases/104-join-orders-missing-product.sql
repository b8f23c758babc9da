CREATE TABLE product(id INTEGER PRIMARY KEY, name TEXT, price REAL, category TEXT);
CREATE TABLE orders(id INTEGER PRIMARY KEY, product_id INTEGER, qty INTEGER, customer TEXT, day TEXT);
INSERT INTO product VALUES (1, 'apple', 0.5, 'fruit'), (2, 'banana', 0.25, 'fruit'), (3, 'bread', 2.2, 'bakery'), (4, 'cheese', 7.95, 'dairy'), (5, 'milk', 1.1, 'dairy'), (6, 'caviar', NULL, NULL);
INSERT INTO orders VALUES (1, 1, 10, 'ann', '2024-01-02'), (2, 3, 1, 'bob', '2024-01-02'), (3, 4, 2, 'ann', '2024-01-03'), (4, 2, 12, 'cy', '2024-01-03'), (5, 1, 3, 'bob', '2024-01-04'), (6, 5, NULL, 'cy', '2024-01-05'), (7, 9, 1, 'dan', '2024-01-05');
SELECT o.id, o.customer, p.name FROM orders o LEFT JOIN product p ON p.id = o.product_id WHERE p.id IS NULL;
