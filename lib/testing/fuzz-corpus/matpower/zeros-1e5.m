function mpc = hostile
x = zeros(1e5,1e5);
