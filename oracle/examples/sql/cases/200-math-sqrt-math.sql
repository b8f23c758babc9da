SELECT sqrt(2), sqrt(10), sqrt(0.5);
