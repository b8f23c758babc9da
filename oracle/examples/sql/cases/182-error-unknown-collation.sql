SELECT 'a' = 'A' COLLATE klingon;
