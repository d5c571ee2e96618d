function mpc = hostile
x = max(1:3e5);
