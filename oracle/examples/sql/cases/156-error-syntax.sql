SELEC 1;
SELECT 'after';
