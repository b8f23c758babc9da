SELECT sin(1), cos(1), tan(0.5), atan2(1, 2), pi();
