SELECT frobnicate(1);
