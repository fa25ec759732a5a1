"""Chapter 1, the artificial neuron: its exercises."""

from helpers.exercises._core import Exercise

EXERCISES = {
    "01.1": Exercise(
        "boolean",
        "eyJ2YWx1ZSI6IGZhbHNlfQ==",
        "fit the best single neuron to the ReLU network's outputs (np.linalg.lstsq): is the error zero?",
    ),
    "01.2": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDAuNzU0MTg5OTQ0MTM0MDc4MiwgInJlbCI6IDAuMDAxfQ==",
        "fill missing ages with the median of the training passengers only, standardize with the "
        "training statistics, and train with LEARNING_RATE and EPOCHS as before",
    ),
    "01.3": Exercise(
        "number",
        "eyJ2YWx1ZSI6IC0wLjAwNDkyMDgyMTA4Njc0MDM1MjQsICJyZWwiOiAwLjAwMX0=",
        "for squared error, dL/dz = 2 (a - y) a (1 - a) with a = sigmoid(-6) and y = 1",
    ),
    "01.4": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDAuNDY3OTY5MTQyMjYxNDgyMSwgInJlbCI6IDAuMDAxfQ==",
        "for each learning rate, losses = train(X_train, y_train, rate, 10)[2]; the loss goes up "
        "when np.diff(losses) has a positive entry; report losses[-1] for the smallest such rate",
    ),
}
