SELECT degrees(pi() / 3), radians(180), acos(0.5), asin(1);
