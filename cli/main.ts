console.log("imfed");
