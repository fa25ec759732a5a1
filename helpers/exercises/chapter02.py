"""Chapter 2, the perceptron in Keras: its exercises."""

from helpers.exercises._core import Exercise

EXERCISES = {
    "02.1": Exercise(
        "integer",
        "eyJ2YWx1ZSI6IDQ0fQ==",
        "each of the 4 units has one weight per input and one bias: units x (inputs + 1)",
    ),
    "02.2": Exercise(
        "number",
        "eyJ2YWx1ZSI6IC0wLjMsICJyZWwiOiAwLjAwMX0=",
        "set_weights takes [kernel of shape (3, 1), bias of shape (1,)]; the output is "
        "0.5 * 0.2 - 1 * 0.9 + 2 * 0.4 + bias",
    ),
    "02.3": Exercise(
        "integer",
        "eyJ2YWx1ZSI6IDE0fQ==",
        "compute the 4 binary-step outputs of every (w1, w2, b) on the grid, turn each into a "
        "tuple and count the distinct tuples with a set",
    ),
    "02.4": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDEyMC4wLCAibG93IjogODAuMCwgImhpZ2giOiAxNjAuMH0=",
        "draw W1 with shape (100, 2, 3) and W2 with shape (100, 3, 1) from "
        "np.random.default_rng(SEED), biases 0; call train_xor(params, steps=10) 200 times and "
        "after each call count the starts with all four outputs on the right side of 0.5",
    ),
}
