"""WiFi pose training: simulator/recorder/MM-Fi datasets, a small TCN, ONNX export to the contract."""
