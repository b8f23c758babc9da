SELECT pow(2, 0.5), power(10, -3), pow(1.0001, 10000);
