SELECT ceil(1.2), floor(-1.2), trunc(2.7), ceiling(-0.5);
