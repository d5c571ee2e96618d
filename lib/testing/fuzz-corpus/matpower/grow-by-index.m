function mpc = hostile
x(1e9) = 1;
