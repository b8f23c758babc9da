-- a comment line

/* block
   comment */
SELECT 1; -- trailing comment
   
SELECT /* inline */ 2;
