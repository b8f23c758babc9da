SELECT 10 / 4, 10 / 4.0, typeof(10 / 4), typeof(10 / 4.0), 10 % 4.5;
