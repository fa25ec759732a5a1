"""Chapter 5, loan approval and saving models: its exercises."""

from helpers.exercises._core import Exercise

EXERCISES = {
    "05.1": Exercise(
        "integer",
        "eyJ2YWx1ZSI6IDY0Mn0=",
        "each Dense layer has (inputs + 1) x units parameters: 1 -> 16, 16 -> 32, 32 -> 2 "
        "(or build the model and call count_params())",
    ),
    "05.2": Exercise(
        "integer",
        "eyJ2YWx1ZSI6IDIzNH0=",
        "Flatten turns each 2 x 3 image into 6 numbers and has no parameters; then (inputs + 1) "
        "x units for 6 -> 8, 8 -> 16 and 16 -> 2",
    ),
    "05.3": Exercise(
        "number",
        "eyJ2YWx1ZSI6IDAuOTI1LCAicmVsIjogMC4wMDJ9",
        "apply LOAN_RULE to the test applications' age and area (np.where(urban, age <= 55, "
        "age <= 45)) and compare with their application_outcome",
    ),
    "05.4": Exercise(
        "integer",
        "eyJ2YWx1ZSI6IDU3NjB9",
        "train the model loaded from the .keras file, not a new one: its count goes on from the 30 "
        "saved epochs, and every epoch adds one step per batch of 10 of the 1,800 rows that "
        "validation_split=0.1 leaves for training",
    ),
}
